import ConformSupport
import Foundation

/// A problem or remark about an invocation of conform, as data: its severity, where it is (the invocation
/// itself, a thing it named, or a place in a file) and what it says. The library makes these and never
/// writes `conform: error:` itself; they are printed in one place (``OutputBoundary/diagnose(_:)``), masked
/// like everything else, and read as a compiler's do:
///
///     conform: error: --timeout must be above 0 and at most 3600 seconds, got 0
///     conform: error: suites/x.json: --live needs a 'base_url' in the suite
///     vars.env:3: error: "1st" is not a variable name: letters, digits and '_', not starting with a digit
///     suites/x.json:12:5: error: unknown field 'expcet'
///
/// A suite file's own problems are ``Diagnostic``s, made by the loader; ``init(_:)`` carries one over.
package struct RunDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Severity: String, Sendable {
        case error
        case warning
        case note
    }

    package enum Location: Sendable, Hashable {
        /// The invocation as a whole: `conform: error: message`.
        case invocation
        /// One thing the invocation named, a suite file or an option with its value:
        /// `conform: error: suites/x.json: message`.
        case subject(String)
        /// A place in a file: `path: error:`, `path:line: error:` or `path:line:column: error: message`.
        case file(String, line: Int? = nil, column: Int? = nil)
    }

    package var severity: Severity
    package var location: Location
    package var message: String

    package init(_ severity: Severity, at location: Location = .invocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    package static func error(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.error, at: location, message)
    }

    package static func warning(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.warning, at: location, message)
    }

    package static func note(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.note, at: location, message)
    }

    /// A suite file's diagnostic, at its file, line and column.
    package init(_ diagnostic: Diagnostic) {
        self.init(
            diagnostic.severity == .error ? .error : .warning,
            at: .file(diagnostic.file, line: diagnostic.location?.line, column: diagnostic.location?.column),
            diagnostic.message)
    }

    package var description: String {
        switch location {
        case .invocation:
            "conform: \(severity.rawValue): \(message)"
        case .subject(let subject):
            "conform: \(severity.rawValue): \(subject): \(message)"
        case .file(let path, let line, let column):
            [path, line.map(String.init), line == nil ? nil : column.map(String.init)].compactMap { $0 }
                .joined(separator: ":") + ": \(severity.rawValue): \(message)"
        }
    }
}
