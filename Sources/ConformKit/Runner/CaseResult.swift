import ConformHTTP
import Foundation

/// The outcome of one case, as plain data: every output renders it, and ``OutputBoundary`` masks what they
/// render.
struct CaseResult: Sendable {
    enum Outcome: String, Sendable, Equatable {
        case passed, failed, errored, skipped
    }

    var name: String
    /// The line of the case in its suite file, for CI annotations.
    var line: Int?
    var outcome: Outcome
    /// Failures, warnings and notes, in the order the checks made them.
    var findings: [Finding]
    /// Why the request could not complete, for an errored case.
    var transportFailure: TransportFailure?
    /// Why the case was not sent, for a skipped case.
    var skipReason: String?
    /// `POST http://…/refreshIdToken`, as sent: the outputs mask it (``OutputBoundary``).
    var request: String?
    var status: Int?
    /// The response's `Content-Type`, as sent.
    var contentType: String?
    var timing: ExchangeTiming?
    /// What is shown for a failure or an error, as data: findings, request, response status and body excerpt.
    var diagnostic: CaseDiagnostic
    /// The response of a failed or errored case that got one, headers and body, for the HTML report.
    var response: ResponseShown?
    /// Wall time of the case, request and checks together.
    var duration: Duration
    /// How many times the case was sent.
    var samples = 1
    /// Latency statistics over the samples (several samples, or latency objectives).
    var latency: LatencySummary?
    /// Latencies of the samples in milliseconds, in sample order, at most ``CaseResult/keptSamples``: for charts.
    var latencySamples: [Double] = []
    static let keptSamples = 2000
    /// Timing phases in milliseconds: the exchange's own, or the median over the samples.
    var phaseMetrics: [(name: String, milliseconds: Double)] = []
    /// The statuses of the samples and how many got each, in status order, when they differ (else empty).
    var statusCounts: [StatusCount] = []
    /// New and reused connections over the samples; nil when unknown.
    var connectionCounts: ConnectionCounts?
    /// What the TLS handshake showed, when the case went over https.
    var tls: TLSFacts?
    /// Extra suite-level report properties of this case (comparison figures).
    var properties: [(name: String, value: String)] = []

    var failures: [Finding] { findings.filter { $0.severity == .failure } }
    var warnings: [Finding] { findings.filter { $0.severity == .warning } }
    var notes: [Finding] { findings.filter { $0.severity == .note } }
    var knownDeviations: [Finding] { findings.filter { $0.severity == .knownDeviation } }
}

/// The outcome of one suite run: what the JUnit report and the console summary are made from.
struct SuiteResult: Sendable {
    var suiteName: String
    var suiteFile: String
    /// `embedded mock pitchpoint`, or the base URL.
    var targetDescription: String
    var baseURL: String
    var startedAt: Date
    var duration: Duration
    var cases: [CaseResult]
    /// The console lines of this suite without colour, for `<system-out>`.
    var transcript: String
    /// What the target's TLS handshake showed: the first case's that went over https.
    var tls: TLSFacts? { cases.lazy.compactMap(\.tls).first }

    /// Warnings about how the suite was run rather than about one case (`--insecure`, `--repeat-secrets`).
    var suiteWarnings: [Finding] = []
    /// Notes that several cases would repeat, said once with the cases they apply to (``RepeatedNotes``).
    var suiteNotes: [Finding] = []

    func count(_ outcome: CaseResult.Outcome) -> Int { cases.filter { $0.outcome == outcome }.count }
    var warningCount: Int { cases.reduce(suiteWarnings.count) { $0 + $1.warnings.count } }
    var knownDeviationCount: Int { cases.reduce(0) { $0 + $1.knownDeviations.count } }
    var succeeded: Bool { !cases.contains { $0.outcome == .failed || $0.outcome == .errored } }
}
