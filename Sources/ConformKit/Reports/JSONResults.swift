import Foundation

/// `--format json`: the results of a run as one JSON document on standard output, for other tools.
///
/// The shape is versioned (`"format": "conform-results", "format_version": 2`); fields are only ever added
/// within a version. It carries what the JUnit report carries, as data: outcomes, findings with their check
/// identity, location, expected and actual values, the diagnostic, timing phases and latency statistics.
/// Secrets are masked as everywhere. docs/reports.md documents the shape.
public struct JSONResults: Codable, Sendable, Equatable {
    public static let currentVersion = 2
    public var format = "conform-results"
    public var formatVersion = JSONResults.currentVersion
    /// The same number as `format_version`, under the name version 1 used.
    public var version = JSONResults.currentVersion
    public var conformVersion = ConformDefaults.version
    public var exitStatus: Int32
    public var suites: [SuiteEntry]

    public struct SuiteEntry: Codable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var target: String
        public var baseUrl: String
        /// UTC, ISO 8601: `2026-11-21T10:00:00Z`.
        public var startedAt: String
        public var durationMs: Double
        public var counts: Counts
        /// What the target's TLS handshake showed, as in the JUnit properties `conform.tls.*`.
        public var tls: [String: String]?
        /// Warnings about how the suite was run rather than one case (`--insecure`, `--repeat-secrets`).
        public var warnings: [FindingEntry]
        /// Notes several cases would repeat, said once with the cases they apply to.
        public var notes: [FindingEntry]
        public var cases: [CaseEntry]
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var tests: Int
        public var passed: Int
        public var failed: Int
        public var errors: Int
        public var skipped: Int
        public var warnings: Int
        /// Failures the baseline knows (`--baseline`).
        public var knownDeviations: Int
    }

    public struct CaseEntry: Codable, Sendable, Equatable {
        public var name: String
        /// The case's line in its suite file.
        public var line: Int?
        /// `passed`, `failed`, `errored` or `skipped`.
        public var outcome: String
        public var status: Int?
        /// The statuses of the samples and how many got each, when they differ.
        public var statuses: [StatusEntry]?
        public var durationMs: Double
        public var samples: Int
        /// The endpoint's latency of a single exchange.
        public var latencyMs: Double?
        /// Statistics over the samples: `min_ms`, `p50_ms`, … `mean_ms`.
        public var latency: [String: Double]?
        /// Timing phases in milliseconds (medians over samples).
        public var phases: [String: Double]
        public var connections: ConnectionEntry?
        public var request: String?
        public var findings: [FindingEntry]
        public var error: ErrorEntry?
        public var skipReason: String?
        /// The full text of a failure or an error.
        public var diagnostic: String?
    }

    public struct StatusEntry: Codable, Sendable, Equatable {
        public var status: Int
        public var count: Int
    }

    public struct ConnectionEntry: Codable, Sendable, Equatable {
        public var new: Int
        public var reused: Int
        public var connectMedianMs: Double?
    }

    public struct FindingEntry: Codable, Sendable, Equatable {
        /// `failure`, `warning`, `note` or `known_deviation`.
        public var severity: String
        /// The check's identity (``CheckID``): `field.equals`, `status`…
        public var check: String
        /// The console's word for the check: `field`, `status`…
        public var label: String
        public var message: String
        public var location: LocationEntry?
        public var expected: String?
        public var actual: String?
        /// The suite's reason, and the RFC section it names.
        public var rule: String?
        public var rfc: String?

        public init(
            severity: String, check: String, label: String, message: String, location: LocationEntry? = nil,
            expected: String? = nil, actual: String? = nil, rule: String? = nil, rfc: String? = nil
        ) {
            self.severity = severity
            self.check = check
            self.label = label
            self.message = message
            self.location = location
            self.expected = expected
            self.actual = actual
            self.rule = rule
            self.rfc = rfc
        }
    }

    /// `{"kind": "field", "path": "expires_in"}`, `{"kind": "header", "name": "Cache-Control"}`,
    /// `{"kind": "xml", "line": 12, "element": "Token"}`.
    public struct LocationEntry: Codable, Sendable, Equatable {
        public var kind: String
        public var path: String?
        public var name: String?
        public var line: Int?
        public var element: String?
    }

    public struct ErrorEntry: Codable, Sendable, Equatable {
        public var kind: String
        public var message: String
    }
}

extension JSONResults {
    public init(results: [SuiteResult], exitStatus: ExitStatus) {
        self.exitStatus = exitStatus.rawValue
        let iso = ISO8601DateFormatter()
        suites = results.map { result in
            SuiteEntry(
                name: result.suiteName, file: result.suiteFile, target: result.targetDescription,
                baseUrl: result.baseURL, startedAt: iso.string(from: result.startedAt),
                durationMs: Self.rounded(result.duration.milliseconds),
                counts: Counts(
                    tests: result.cases.count, passed: result.count(.passed), failed: result.count(.failed),
                    errors: result.count(.errored), skipped: result.count(.skipped), warnings: result.warningCount,
                    knownDeviations: result.knownDeviationCount),
                tls: result.tls.map {
                    Dictionary($0.properties().map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                },
                warnings: result.suiteWarnings.map(FindingEntry.init), notes: result.suiteNotes.map(FindingEntry.init),
                cases: result.cases.map { CaseEntry($0) })
        }
    }

    /// Pretty-printed with sorted keys and snake_case names.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }

    static func rounded(_ milliseconds: Double) -> Double {
        (milliseconds * 1000).rounded() / 1000
    }
}

extension JSONResults.CaseEntry {
    init(_ result: CaseResult) {
        name = result.name
        line = result.line
        outcome = result.outcome.rawValue
        status = result.status
        statuses =
            result.statusCounts.isEmpty
            ? nil : result.statusCounts.map { JSONResults.StatusEntry(status: $0.status, count: $0.count) }
        durationMs = JSONResults.rounded(result.duration.milliseconds)
        samples = result.samples
        latencyMs = result.samples == 1 ? result.timing.map { JSONResults.rounded($0.latency.milliseconds) } : nil
        latency = result.latency.map { summary in
            Dictionary(
                uniqueKeysWithValues: LatencyStatistic.allCases.map { ($0.key, JSONResults.rounded(summary.value($0))) }
            )
        }
        phases = Dictionary(
            result.phaseMetrics.map { ($0.name, JSONResults.rounded($0.milliseconds)) }, uniquingKeysWith: { $1 })
        connections = result.connectionCounts.map {
            JSONResults.ConnectionEntry(
                new: $0.new, reused: $0.reused, connectMedianMs: $0.connectMedianMilliseconds.map(JSONResults.rounded))
        }
        request = result.request
        findings = result.findings.map(JSONResults.FindingEntry.init)
        error = result.transportFailure.map {
            JSONResults.ErrorEntry(kind: $0.kind, message: $0.description)
        }
        skipReason = result.skipReason
        diagnostic = result.diagnostic.isEmpty ? nil : result.diagnostic.text
    }
}

extension JSONResults.FindingEntry {
    init(_ finding: Finding) {
        severity = finding.severity == .knownDeviation ? "known_deviation" : finding.severity.rawValue
        check = finding.check.rawValue
        label = finding.check.label
        message = finding.message
        switch finding.location {
        case .none: location = nil
        case .field(let path): location = .init(kind: "field", path: path)
        case .header(let name): location = .init(kind: "header", name: name)
        case .xml(let line, let element): location = .init(kind: "xml", line: line, element: element)
        }
        expected = finding.expected
        actual = finding.actual
        rule = finding.rule
        rfc = finding.rfc
    }
}
