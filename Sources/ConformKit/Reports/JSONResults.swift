import ConformSupport
import Foundation

/// `--format json`: the results of a run as one JSON document on standard output, for other tools.
///
/// The shape is versioned (`"format": "conform-results", "format_version": 2`); fields are only ever added
/// within a version. It carries what the JUnit report carries, as data: outcomes, findings with their check
/// identity, location, expected and actual values, the diagnostic, timing phases and latency statistics.
/// Secrets are masked as everywhere. docs/reports.md documents the shape.
struct JSONResults: Codable, Sendable, Equatable {
    static let currentVersion = 2
    var format = "conform-results"
    var formatVersion = JSONResults.currentVersion
    /// The same number as `format_version`, under the name version 1 used.
    var version = JSONResults.currentVersion
    var conformVersion = ConformDefaults.version
    var exitStatus: Int32
    var suites: [SuiteEntry]

    struct SuiteEntry: Codable, Sendable, Equatable {
        var name: String
        var file: String
        var target: String
        var baseUrl: String
        /// UTC, ISO 8601: `2026-11-21T10:00:00Z`.
        var startedAt: String
        var durationMs: Double
        var counts: Counts
        /// What the target's TLS handshake showed, as in the JUnit properties `conform.tls.*`.
        var tls: [String: String]?
        /// Warnings about how the suite was run rather than one case (`--insecure`, `--repeat-secrets`).
        var warnings: [FindingEntry]
        /// Notes several cases would repeat, said once with the cases they apply to.
        var notes: [FindingEntry]
        var cases: [CaseEntry]
    }

    struct Counts: Codable, Sendable, Equatable {
        var tests: Int
        var passed: Int
        var failed: Int
        var errors: Int
        var skipped: Int
        var warnings: Int
        /// Failures the baseline knows (`--baseline`).
        var knownDeviations: Int
    }

    struct CaseEntry: Codable, Sendable, Equatable {
        var name: String
        /// The case's line in its suite file.
        var line: Int?
        /// `passed`, `failed`, `errored` or `skipped`.
        var outcome: String
        var status: Int?
        /// The statuses of the samples and how many got each, when they differ.
        var statuses: [StatusEntry]?
        var durationMs: Double
        var samples: Int
        /// The endpoint's latency of a single exchange.
        var latencyMs: Double?
        /// Statistics over the samples: `min_ms`, `p50_ms`, … `mean_ms`.
        var latency: [String: Double]?
        /// Timing phases in milliseconds (medians over samples).
        var phases: [String: Double]
        var connections: ConnectionEntry?
        var request: String?
        var findings: [FindingEntry]
        var error: ErrorEntry?
        var skipReason: String?
        /// The full text of a failure or an error.
        var diagnostic: String?
    }

    struct StatusEntry: Codable, Sendable, Equatable {
        var status: Int
        var count: Int
    }

    struct ConnectionEntry: Codable, Sendable, Equatable {
        var new: Int
        var reused: Int
        var connectMedianMs: Double?
    }

    struct FindingEntry: Codable, Sendable, Equatable {
        /// `failure`, `warning`, `note` or `known_deviation`.
        var severity: String
        /// The check's identity (``CheckID``): `field.equals`, `status`…
        var check: String
        /// The console's word for the check: `field`, `status`…
        var label: String
        var message: String
        var location: LocationEntry?
        var expected: String?
        var actual: String?
        /// The suite's reason, and the RFC section it names.
        var rule: String?
        var rfc: String?

        init(
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
    struct LocationEntry: Codable, Sendable, Equatable {
        var kind: String
        var path: String?
        var name: String?
        var line: Int?
        var element: String?
    }

    struct ErrorEntry: Codable, Sendable, Equatable {
        var kind: String
        var message: String
    }
}

extension JSONResults {
    init(results: [SuiteResult], exitStatus: ExitStatus) {
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
    func encoded() -> Data {
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
