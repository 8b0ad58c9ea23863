import ConformSupport
import Foundation

/// `--format json`: the results of a run as one JSON document on standard output, for other tools.
///
/// The shape is versioned (`"format": "conform-results", "format_version": 2`); fields are only ever added
/// within a version. It carries what the JUnit report carries, as data: outcomes, findings with their check
/// identity, location, expected and actual values, the diagnostic, timing phases and latency statistics.
/// Secrets are masked as everywhere. docs/reports.md documents the shape.
package struct JSONResults: Codable, Sendable, Equatable {
    package static let currentVersion = 2
    package var format = "conform-results"
    package var formatVersion = JSONResults.currentVersion
    /// The same number as `format_version`, under the name version 1 used.
    package var version = JSONResults.currentVersion
    package var conformVersion = ConformDefaults.version
    package var exitStatus: Int32
    package var suites: [SuiteEntry]

    package struct SuiteEntry: Codable, Sendable, Equatable {
        package var name: String
        package var file: String
        package var target: String
        package var baseUrl: String
        /// UTC, ISO 8601: `2026-11-21T10:00:00Z`.
        package var startedAt: String
        package var durationMs: Double
        package var counts: Counts
        /// What the target's TLS handshake showed, as in the JUnit properties `conform.tls.*`.
        package var tls: [String: String]?
        /// Warnings about how the suite was run rather than one case (`--insecure`, `--repeat-secrets`).
        package var warnings: [FindingEntry]
        /// Notes several cases would repeat, said once with the cases they apply to.
        package var notes: [FindingEntry]
        package var cases: [CaseEntry]
    }

    package struct Counts: Codable, Sendable, Equatable {
        package var tests: Int
        package var passed: Int
        package var failed: Int
        package var errors: Int
        package var skipped: Int
        package var warnings: Int
        /// Failures the baseline knows (`--baseline`).
        package var knownDeviations: Int
    }

    package struct CaseEntry: Codable, Sendable, Equatable {
        package var name: String
        /// The case's line in its suite file.
        package var line: Int?
        /// `passed`, `failed`, `errored` or `skipped`.
        package var outcome: String
        package var status: Int?
        /// The statuses of the samples and how many got each, when they differ.
        package var statuses: [StatusEntry]?
        package var durationMs: Double
        package var samples: Int
        /// The endpoint's latency of a single exchange.
        package var latencyMs: Double?
        /// Statistics over the samples: `min_ms`, `p50_ms`, … `mean_ms`.
        package var latency: [String: Double]?
        /// Timing phases in milliseconds (medians over samples).
        package var phases: [String: Double]
        package var connections: ConnectionEntry?
        package var request: String?
        package var findings: [FindingEntry]
        package var error: ErrorEntry?
        package var skipReason: String?
        /// The full text of a failure or an error.
        package var diagnostic: String?
    }

    package struct StatusEntry: Codable, Sendable, Equatable {
        package var status: Int
        package var count: Int
    }

    package struct ConnectionEntry: Codable, Sendable, Equatable {
        package var new: Int
        package var reused: Int
        package var connectMedianMs: Double?
    }

    package struct FindingEntry: Codable, Sendable, Equatable {
        /// `failure`, `warning`, `note` or `known_deviation`.
        package var severity: String
        /// The check's identity (``CheckID``): `field.equals`, `status`…
        package var check: String
        /// The console's word for the check: `field`, `status`…
        package var label: String
        package var message: String
        package var location: LocationEntry?
        package var expected: String?
        package var actual: String?
        /// The suite's reason, and the RFC section it names.
        package var rule: String?
        package var rfc: String?

        package init(
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
    package struct LocationEntry: Codable, Sendable, Equatable {
        package var kind: String
        package var path: String?
        package var name: String?
        package var line: Int?
        package var element: String?
    }

    package struct ErrorEntry: Codable, Sendable, Equatable {
        package var kind: String
        package var message: String
    }
}

extension JSONResults {
    package init(results: [SuiteResult], exitStatus: ExitStatus) {
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
    package func encoded() -> Data {
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
