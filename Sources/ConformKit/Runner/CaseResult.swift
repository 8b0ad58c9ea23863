import ConformHTTP
import Foundation

/// The outcome of one case, as plain data: every output renders it, and ``OutputBoundary`` masks what they
/// render.
package struct CaseResult: Sendable {
    package enum Outcome: String, Sendable, Equatable {
        case passed, failed, errored, skipped
    }

    package var name: String
    /// The line of the case in its suite file, for CI annotations.
    package var line: Int?
    package var outcome: Outcome
    /// Failures, warnings and notes, in the order the checks made them.
    package var findings: [Finding]
    /// Why the request could not complete, for an errored case.
    package var transportFailure: TransportFailure?
    /// Why the case was not sent, for a skipped case.
    package var skipReason: String?
    /// `POST http://…/refreshIdToken`, as sent: the outputs mask it (``OutputBoundary``).
    package var request: String?
    package var status: Int?
    /// The response's `Content-Type`, as sent.
    package var contentType: String?
    package var timing: ExchangeTiming?
    /// What is shown for a failure or an error, as data: findings, request, response status and body excerpt.
    package var diagnostic: CaseDiagnostic
    /// The response of a failed or errored case that got one, headers and body, for the HTML report.
    package var response: ResponseShown?
    /// Wall time of the case, request and checks together.
    package var duration: Duration
    /// How many times the case was sent.
    package var samples = 1
    /// Latency statistics over the samples (several samples, or latency objectives).
    package var latency: LatencySummary?
    /// Latencies of the samples in milliseconds, in sample order, at most ``CaseResult/keptSamples``: for charts.
    package var latencySamples: [Double] = []
    package static let keptSamples = 2000
    /// Timing phases in milliseconds: the exchange's own, or the median over the samples.
    package var phaseMetrics: [(name: String, milliseconds: Double)] = []
    /// The statuses of the samples and how many got each, in status order, when they differ (else empty).
    package var statusCounts: [StatusCount] = []
    /// New and reused connections over the samples; nil when unknown.
    package var connectionCounts: ConnectionCounts?
    /// What the TLS handshake showed, when the case went over https.
    package var tls: TLSFacts?
    /// Extra suite-level report properties of this case (comparison figures).
    package var properties: [(name: String, value: String)] = []

    package var failures: [Finding] { findings.filter { $0.severity == .failure } }
    package var warnings: [Finding] { findings.filter { $0.severity == .warning } }
    package var notes: [Finding] { findings.filter { $0.severity == .note } }
    package var knownDeviations: [Finding] { findings.filter { $0.severity == .knownDeviation } }
}

/// The outcome of one suite run: what the JUnit report and the console summary are made from.
package struct SuiteResult: Sendable {
    package var suiteName: String
    package var suiteFile: String
    /// `embedded mock pitchpoint`, or the base URL.
    package var targetDescription: String
    package var baseURL: String
    package var startedAt: Date
    package var duration: Duration
    package var cases: [CaseResult]
    /// The console lines of this suite without colour, for `<system-out>`.
    package var transcript: String
    /// What the target's TLS handshake showed: the first case's that went over https.
    package var tls: TLSFacts? { cases.lazy.compactMap(\.tls).first }

    /// Warnings about how the suite was run rather than about one case (`--insecure`, `--repeat-secrets`).
    package var suiteWarnings: [Finding] = []
    /// Notes that several cases would repeat, said once with the cases they apply to (``RepeatedNotes``).
    package var suiteNotes: [Finding] = []

    package func count(_ outcome: CaseResult.Outcome) -> Int { cases.filter { $0.outcome == outcome }.count }
    package var warningCount: Int { cases.reduce(suiteWarnings.count) { $0 + $1.warnings.count } }
    package var knownDeviationCount: Int { cases.reduce(0) { $0 + $1.knownDeviations.count } }
    package var succeeded: Bool { !cases.contains { $0.outcome == .failed || $0.outcome == .errored } }
}
