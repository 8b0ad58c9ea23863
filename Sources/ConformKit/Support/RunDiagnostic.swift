import ConformSupport
import Foundation

/// A problem or remark about an invocation of conform, as data: its severity, where it is (the invocation
/// itself, a thing it named, or a place in a file) and what it says. The library makes these and never words
/// them as lines: it hands them, masked, to the ``DiagnosticConsumer`` the command line gives
/// (``OutputBoundary/diagnose(_:)``), and the command line prints them as a compiler would:
///
///     conform: error: --timeout must be above 0 and at most 3600 seconds, got 0
///     conform: error: suites/x.json: --live needs a 'base_url' in the suite
///     vars.env:3: error: "1st" is not a variable name: letters, digits and '_', not starting with a digit
///     suites/x.json:12:5: error: unknown field 'expcet'
///
/// A suite file's own problems are ``Diagnostic``s, made by the loader; ``init(_:)`` carries one over.
package struct RunDiagnostic: Error, Sendable, Hashable {
    package enum Severity: String, Sendable {
        case error
        case warning
        case note
        /// How a run ended before its end, said without a label: `conform: stopped by --fail-fast after …`.
        case outcome
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

    init(_ severity: Severity, at location: Location = .invocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    static func error(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.error, at: location, message)
    }

    static func warning(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.warning, at: location, message)
    }

    static func note(_ message: String, at location: Location = .invocation) -> RunDiagnostic {
        RunDiagnostic(.note, at: location, message)
    }

    /// A suite file's diagnostic, at its file, line and column.
    init(_ diagnostic: Diagnostic) {
        self.init(
            diagnostic.severity == .error ? .error : .warning,
            at: .file(diagnostic.file, line: diagnostic.location?.line, column: diagnostic.location?.column),
            diagnostic.message)
    }

    /// The diagnostic with each of its texts (message, subject, path) changed by `transform`.
    func mapTexts(_ transform: (String) -> String) -> RunDiagnostic {
        let location: Location =
            switch location {
            case .invocation: .invocation
            case .subject(let subject): .subject(transform(subject))
            case .file(let path, let line, let column): .file(transform(path), line: line, column: column)
            }
        return RunDiagnostic(severity, at: location, transform(message))
    }
}

/// What the command line does with the library's diagnostics: it prints them. The library calls it through
/// the output boundary (``OutputBoundary/diagnose(_:)``), which first masks every text of a diagnostic and
/// makes it safe for a terminal, and erases a progress line on the stream the consumer writes to; so the
/// consumer may write what it is given as it is.
package protocol DiagnosticConsumer: Sendable {
    /// Takes diagnostics that belong together (every problem of a plan), in order.
    func consume(_ diagnostics: [RunDiagnostic])
}
