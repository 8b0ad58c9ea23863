import Foundation

/// The outcome of one case, as plain data: every output renders it, and ``OutputBoundary`` masks what they
/// render.
public struct CaseResult: Sendable {
    public enum Outcome: String, Sendable, Equatable {
        case passed, failed, errored, skipped
    }

    public var name: String
    /// The line of the case in its suite file, for CI annotations.
    public var line: Int?
    public var outcome: Outcome
    /// Failures, warnings and notes, in the order the checks made them.
    public var findings: [Finding]
    /// Why the request could not complete, for an errored case.
    public var transportFailure: TransportFailure?
    /// Why the case was not sent, for a skipped case.
    public var skipReason: String?
    /// `POST http://…/refreshIdToken`, as sent: the outputs mask it (``OutputBoundary``).
    public var request: String?
    public var status: Int?
    /// The response's `Content-Type`, as sent.
    public var contentType: String?
    public var timing: ExchangeTiming?
    /// What is shown for a failure or an error, as data: findings, request, response status and body excerpt.
    public var diagnostic: CaseDiagnostic
    /// The response of a failed or errored case that got one, headers and body, for the HTML report.
    public var response: ResponseShown?
    /// Wall time of the case, request and checks together.
    public var duration: Duration
    /// How many times the case was sent.
    public var samples = 1
    /// Latency statistics over the samples (several samples, or latency objectives).
    public var latency: LatencySummary?
    /// Latencies of the samples in milliseconds, in sample order, at most ``CaseResult/keptSamples``: for charts.
    public var latencySamples: [Double] = []
    public static let keptSamples = 2000
    /// Timing phases in milliseconds: the exchange's own, or the median over the samples.
    public var phaseMetrics: [(name: String, milliseconds: Double)] = []
    /// The statuses of the samples and how many got each, in status order, when they differ (else empty).
    public var statusCounts: [StatusCount] = []
    /// New and reused connections over the samples; nil when unknown.
    public var connectionCounts: ConnectionCounts?
    /// What the TLS handshake showed, when the case went over https.
    public var tls: TLSFacts?
    /// Extra suite-level report properties of this case (comparison figures).
    public var properties: [(name: String, value: String)] = []

    public var failures: [Finding] { findings.filter { $0.severity == .failure } }
    public var warnings: [Finding] { findings.filter { $0.severity == .warning } }
    public var notes: [Finding] { findings.filter { $0.severity == .note } }
    public var knownDeviations: [Finding] { findings.filter { $0.severity == .knownDeviation } }
}

/// The outcome of one suite run: what the JUnit report and the console summary are made from.
public struct SuiteResult: Sendable {
    public var suiteName: String
    public var suiteFile: String
    /// `embedded mock pitchpoint`, or the base URL.
    public var targetDescription: String
    public var baseURL: String
    public var startedAt: Date
    public var duration: Duration
    public var cases: [CaseResult]
    /// The console lines of this suite without colour, for `<system-out>`.
    public var transcript: String
    /// What the target's TLS handshake showed: the first case's that went over https.
    public var tls: TLSFacts? { cases.lazy.compactMap(\.tls).first }

    /// Warnings about how the suite was run rather than about one case (`--insecure`, `--repeat-secrets`).
    public var suiteWarnings: [Finding] = []
    /// Notes that several cases would repeat, said once with the cases they apply to (``RepeatedNotes``).
    public var suiteNotes: [Finding] = []

    public func count(_ outcome: CaseResult.Outcome) -> Int { cases.filter { $0.outcome == outcome }.count }
    public var warningCount: Int { cases.reduce(suiteWarnings.count) { $0 + $1.warnings.count } }
    public var knownDeviationCount: Int { cases.reduce(0) { $0 + $1.knownDeviations.count } }
    public var succeeded: Bool { !cases.contains { $0.outcome == .failed || $0.outcome == .errored } }
}
