/// A problem in a suite file or an invocation: `suites/x.json:12:5: error: unknown key 'expct' in case`.
///
/// A warning (`warning:`) points at something that is allowed but almost always a mistake; it never stops a
/// run or changes an exit status.
package struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Severity: String, Sendable {
        case error
        case warning
    }

    package var file: String
    package var location: SourceLocation?
    package var message: String
    package var severity: Severity

    package init(file: String, location: SourceLocation?, message: String, severity: Severity = .error) {
        self.file = file
        self.location = location
        self.message = message
        self.severity = severity
    }

    package var description: String {
        if let location { return "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)" }
        return "\(file): \(severity.rawValue): \(message)"
    }
}

/// Every problem found in one or more suite files, in file order.
package struct SuiteLoadError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a suite file is read, so that every problem is reported, not just the first.
package final class DiagnosticSink {
    let file: String
    package private(set) var diagnostics: [Diagnostic] = []
    /// Warnings are kept apart: they never make loading fail.
    package private(set) var warnings: [Diagnostic] = []

    package init(file: String) {
        self.file = file
    }

    private var seen: Set<Diagnostic> = []

    /// Records a problem once: a mistake in a shared block, read again for every case that uses it, is one
    /// problem at one place.
    package func error(_ message: String, at location: SourceLocation?) {
        let diagnostic = Diagnostic(file: file, location: location, message: message)
        if seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    package func warning(_ message: String, at location: SourceLocation?) {
        let diagnostic = Diagnostic(file: file, location: location, message: message, severity: .warning)
        if seen.insert(diagnostic).inserted { warnings.append(diagnostic) }
    }
}

extension Array where Element == Diagnostic {
    /// Each diagnostic once, in first-seen order (a schema file named by a shared block is compiled for every
    /// case that uses the block, and fails the same way each time).
    package var withoutRepeats: [Diagnostic] {
        var seen: Set<Diagnostic> = []
        return filter { seen.insert($0).inserted }
    }
}

/// "did you mean 'expect'?" for a misspelt key, model or reference.
package enum Suggestion {
    package static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, min(3, word.count / 3)) else { return nil }
        return best.0
    }

    package static func hint(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
