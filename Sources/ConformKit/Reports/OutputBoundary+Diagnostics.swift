import Foundation

/// The one way the library's diagnostics leave it: masked, made safe for a terminal, and handed as data to
/// the command line's ``DiagnosticConsumer``, which prints them on standard error.
extension OutputBoundary {
    /// Hands `diagnostics` over together, in order.
    func diagnose(_ diagnostics: [RunDiagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let masker = secrets.masker
        let safe = diagnostics.map { $0.mapTexts { TerminalText.neutralisedLines(masker.mask($0)) } }
        writing(to: .error) { _ in self.diagnosticConsumer.consume(safe) }
    }

    func diagnose(_ diagnostic: RunDiagnostic) {
        diagnose([diagnostic])
    }
}
