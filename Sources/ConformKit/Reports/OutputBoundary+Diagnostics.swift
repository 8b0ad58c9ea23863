import Foundation

/// The one place the library's diagnostics become text: on standard error, one line each, masked.
extension OutputBoundary {
    /// Prints `diagnostics` together, in order.
    func diagnose(_ diagnostics: [RunDiagnostic]) {
        guard !diagnostics.isEmpty else { return }
        print(diagnostics.map(\.description).joined(separator: "\n"), to: .error)
    }

    func diagnose(_ diagnostic: RunDiagnostic) {
        diagnose([diagnostic])
    }
}
