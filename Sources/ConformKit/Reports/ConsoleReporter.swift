import Foundation
import NIOConcurrencyHelpers

/// Prints one line per case as it finishes, the full diagnostic of failures, and a summary per suite.
///
///     pitchpoint (embedded mock pitchpoint at http://127.0.0.1:40123)
///       PASS  refresh with valid token (200, 3.1 ms)
///             warning [header]: Cache-Control: expected "no-store", got no Cache-Control header (RFC 6749 §5.1)
///       FAIL  …
///     pitchpoint: 10 cases: 9 passed, 1 failed, 0 errors, 0 skipped; 12 warnings; 0.08 s; report reports/pitchpoint.xml
///
/// Lines leave through the ``OutputBoundary``, which masks them and colours them on a terminal (never
/// when `NO_COLOR` is set). The same lines, uncoloured, become the report's `<system-out>`: suites run one
/// after another, so one transcript is kept, started afresh by each suite (two suites may share a name).
final class ConsoleReporter: Sendable {
    private let boundary: OutputBoundary
    private let stream: OutputBoundary.Stream
    private let verbose: Bool
    /// The lines of the suite running now.
    private let transcript = NIOLockedValueBox<[String]>([])

    init(boundary: OutputBoundary, stream: OutputBoundary.Stream = .output, verbose: Bool = false) {
        self.boundary = boundary
        self.stream = stream
        self.verbose = verbose
    }

    func suiteStarted(name: String, file: String, target: String, warnings: [Finding] = []) {
        transcript.withLockedValue { $0 = [] }
        emit(
            ["\(name) (\(file), \(target))"] + warnings.map { "  \($0.description)" },
            styles: [.bold] + warnings.map { _ in .warning })
    }

    func caseFinished(_ result: CaseResult) {
        var lines = [Self.caseLine(result)]
        var styles: [ConsoleStyle] = [Self.style(of: result.outcome)]
        let detail: [String]
        switch result.outcome {
        case .failed, .errored:
            detail =
                result.diagnostic.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                + (result.findings.filter { $0.severity != .failure }.map(\.description))
        case .passed:
            detail = result.findings.map(\.description)
        case .skipped:
            detail = []
        }
        var timing: [String] = []
        if let latency = result.latency { timing.append("latency: \(latency.samples) samples: \(latency.description)") }
        if verbose { timing += Self.timingLines(result) }
        let all = detail + timing
        lines += all.map { "        \($0)" }
        styles += all.map { $0.hasPrefix("warning") ? .warning : .plain }
        emit(lines, styles: styles)
    }

    func suiteFinished(_ result: SuiteResult, reportPath: String?) {
        var lines: [String] = []
        var styles: [ConsoleStyle] = []
        if let tls = result.tls {
            lines.append("  tls: \(tls.summary())")
            styles.append(.plain)
        }
        for note in result.suiteNotes {
            lines.append("  \(note.description)")
            styles.append(.plain)
        }
        if !lines.isEmpty { emit(lines, styles: styles) }
        let line = Self.summary(result, reportPath: reportPath)
        emit([line], styles: [result.succeeded ? .pass : .fail], record: false)
    }

    /// Prints a line outside any suite (errors before the run, the report path of a merged file).
    func message(_ line: String) {
        boundary.print(line, to: stream)
    }

    /// The lines of the suite running now, since it started.
    func suiteTranscript() -> String {
        transcript.withLockedValue { $0.joined(separator: "\n") + "\n" }
    }

    static func caseLine(_ result: CaseResult) -> String {
        let label: String
        switch result.outcome {
        case .passed: label = "PASS "
        case .failed: label = "FAIL "
        case .errored: label = "ERROR"
        case .skipped: label = "SKIP "
        }
        if result.outcome == .skipped { return "  \(label) \(result.name): \(result.skipReason ?? "skipped")" }
        var facts: [String] = []
        if let statuses = result.statusSummary {
            facts.append(statuses)
        } else if let status = result.status {
            facts.append(String(status))
        }
        if result.samples > 1 {
            facts.append("\(result.samples) samples")
            if let latency = result.latency {
                facts.append("p50 \(Milliseconds.text(latency.value(.p50))) ms")
                facts.append("p95 \(Milliseconds.text(latency.value(.p95))) ms")
            }
            if let rate = Milliseconds.rate(samples: result.samples, over: result.duration.milliseconds) {
                facts.append(rate)
            }
        } else if let timing = result.timing {
            facts.append("\(Milliseconds.text(timing.latency.milliseconds)) ms")
        }
        // A request never sent (a path that makes no URL) has nothing to say in brackets.
        guard !facts.isEmpty else { return "  \(label) \(result.name)" }
        return "  \(label) \(result.name) (\(facts.joined(separator: ", ")))"
    }

    static func summary(_ result: SuiteResult, reportPath: String?) -> String {
        let seconds = String(format: "%.2f", result.duration.milliseconds / 1000)
        var line =
            "\(result.suiteName): \(Plural.count(result.cases.count, "case")): \(result.count(.passed)) passed, "
            + "\(result.count(.failed)) failed, \(Plural.count(result.count(.errored), "error")), "
            + "\(result.count(.skipped)) skipped; \(Plural.count(result.warningCount, "warning"))"
        let known = result.knownDeviationCount
        if known > 0 { line += "; \(known) known deviation\(known == 1 ? "" : "s")" }
        line += "; \(seconds) s"
        if let reportPath { line += "; report \(reportPath)" }
        return line
    }

    /// `timing: new connection: dns 0, connect 0.4, send 0.1, wait 1.1, ttfb 1.6, download 0.1, latency 1.7,
    /// queue 0, total 1.8 ms`, or the median phases over the samples (without the set-up phases, which only
    /// new connections have: the connections part gives their median). `server` repeats `wait` for reports
    /// and is not shown.
    static func timingLines(_ result: CaseResult) -> [String] {
        guard !result.phaseMetrics.isEmpty else { return [] }
        let hidden: Set<String> = result.samples > 1 ? ["dns_ms", "connect_ms", "tls_ms", "server_ms"] : ["server_ms"]
        let shown = result.phaseMetrics.filter { !hidden.contains($0.name) }
        let phases = shown.map {
            "\($0.name.replacingOccurrences(of: "_ms", with: "")) \(Milliseconds.text($0.milliseconds))"
        }
        .joined(separator: ", ")
        if result.samples > 1 {
            return [
                "timing (median of \(result.samples) samples): \(phases) ms; connections: \(result.connections ?? "unknown")"
            ]
        }
        let connection = result.timing?.connectionDescription ?? "connection unknown"
        return ["timing: \(connection): \(phases) ms"]
    }

    // MARK: Output

    private static func style(of outcome: CaseResult.Outcome) -> ConsoleStyle {
        switch outcome {
        case .passed: .pass
        case .failed: .fail
        case .errored: .error
        case .skipped: .skip
        }
    }

    private func emit(_ lines: [String], styles: [ConsoleStyle], record: Bool = true) {
        if record { transcript.withLockedValue { $0 += lines } }
        boundary.print(Array(zip(lines, styles)).map { (text: $0.0, style: $0.1) }, to: stream)
    }
}
