import ConformSupport
import Foundation

/// `--format json`: the results of a run as one JSON document on standard output, for other tools.
///
/// The shape is versioned (`"format": "conform-results", "version": 1`); fields are only ever added
/// within a version. It carries what the JUnit report carries, as data: outcomes, findings with their
/// checks, the diagnostic, timing phases and latency statistics. Secrets are masked as everywhere.
package struct JSONResults: Codable, Sendable, Equatable {
    package var format = "conform-results"
    package var version = 1
    var conformVersion = ConformDefaults.version
    var exitStatus: Int32
    package var suites: [SuiteEntry]

    package struct SuiteEntry: Codable, Sendable, Equatable {
        package var name: String
        package var file: String
        package var target: String
        var baseUrl: String
        /// UTC, ISO 8601: `2026-11-21T10:00:00Z`.
        var startedAt: String
        var durationMs: Double
        var counts: Counts
        /// What the target's TLS handshake showed, as in the JUnit properties `conform.tls.*`.
        package var tls: [String: String]?
        /// Warnings about how the suite was run rather than one case (`--insecure`, `--repeat-secrets`).
        var warnings: [FindingEntry]
        package var cases: [CaseEntry]
    }

    package struct Counts: Codable, Sendable, Equatable {
        package var tests: Int
        package var passed: Int
        package var failed: Int
        package var errors: Int
        package var skipped: Int
        var warnings: Int
        /// Failures the baseline knows (`--baseline`).
        var knownDeviations: Int
    }

    package struct CaseEntry: Codable, Sendable, Equatable {
        package var name: String
        /// The case's line in its suite file.
        package var line: Int?
        /// `passed`, `failed`, `errored` or `skipped`.
        var outcome: String
        package var status: Int?
        var statuses: String?
        var durationMs: Double
        package var samples: Int
        /// The endpoint's latency of a single exchange.
        var latencyMs: Double?
        /// Statistics over the samples: `min_ms`, `p50_ms`, … `mean_ms`.
        package var latency: [String: Double]?
        /// Timing phases in milliseconds (medians over samples).
        package var phases: [String: Double]
        var connection: String?
        package var request: String?
        var findings: [FindingEntry]
        package var error: ErrorEntry?
        var skipReason: String?
        /// The full text of a failure or an error.
        var diagnostic: String?
    }

    package struct FindingEntry: Codable, Sendable, Equatable {
        /// `failure`, `warning` or `note`.
        var severity: String
        var check: String
        var message: String
    }

    package struct ErrorEntry: Codable, Sendable, Equatable {
        package var kind: String
        var message: String
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
                tls: result.tls.map { Dictionary($0.properties().map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) },
                warnings: result.suiteWarnings.map(FindingEntry.init), cases: result.cases.map { CaseEntry($0) })
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
        statuses = result.statusSummary
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
        connection = result.connections
        request = result.request
        findings = result.findings.map(JSONResults.FindingEntry.init)
        error = result.transportFailure.map {
            JSONResults.ErrorEntry(kind: $0.kind, message: $0.description)
        }
        skipReason = result.skipReason
        diagnostic = result.diagnostic.isEmpty ? nil : result.diagnostic
    }
}

extension JSONResults.FindingEntry {
    init(_ finding: Finding) {
        severity = finding.severity == .knownDeviation ? "known_deviation" : finding.severity.rawValue
        check = finding.check
        message = finding.message
    }
}
