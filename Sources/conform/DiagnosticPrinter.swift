import ConformKit

/// Prints the library's diagnostics, one line each, as a compiler says them:
///
///     conform: error: --timeout must be above 0 and at most 3600 seconds, got 0
///     conform: error: suites/x.json: --live needs a 'base_url' in the suite
///     vars.env:3: error: "1st" is not a variable name: letters, digits and '_', not starting with a digit
///     suites/x.json:12:5: warning: unknown field 'expcet'
///     conform: stopped by --fail-fast after 'refresh' failed; the reports hold what was done
///
/// The library hands them over already masked and safe for a terminal (its output boundary does that for
/// every output), so they are printed as they are.
struct DiagnosticPrinter: DiagnosticConsumer {
    /// Standard error, or a test's buffer.
    var output: any TextOutput

    static let standardError = DiagnosticPrinter(output: StandardStream.error)

    func consume(_ diagnostics: [RunDiagnostic]) {
        guard !diagnostics.isEmpty else { return }
        output.write(diagnostics.map { Self.line(for: $0) + "\n" }.joined())
    }

    /// The line of one diagnostic. A file's place leaves out a column that has no line: it would read as one.
    static func line(for diagnostic: RunDiagnostic) -> String {
        let label = diagnostic.severity == .outcome ? "" : "\(diagnostic.severity.rawValue): "
        switch diagnostic.location {
        case .invocation:
            return "conform: \(label)\(diagnostic.message)"
        case .subject(let subject):
            return "conform: \(label)\(subject): \(diagnostic.message)"
        case .file(let path, let line, let column):
            let place = [path, line.map(String.init), line == nil ? nil : column.map(String.init)].compactMap { $0 }
            return place.joined(separator: ":") + ": \(label)\(diagnostic.message)"
        }
    }
}
