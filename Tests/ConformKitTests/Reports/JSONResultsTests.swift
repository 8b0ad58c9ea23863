import Foundation
import Testing

@testable import ConformKit

/// `--format json`: the counts of a suite add up to its cases, every outcome counted where it belongs.
@Suite struct JSONResultsTests {
    private static func caseResult(
        _ name: String, _ outcome: CaseResult.Outcome, findings: [Finding] = []
    )
        -> CaseResult
    {
        CaseResult(
            name: name, outcome: outcome, findings: findings,
            transportFailure: outcome == .errored ? .closedWithoutResponse : nil,
            skipReason: outcome == .skipped ? "not run" : nil, request: nil, status: nil, timing: nil,
            diagnostic: "", duration: .milliseconds(1.5))
    }

    @Test func countsAddUpToTheCases() throws {
        let result = SuiteResult(
            suiteName: "s", suiteFile: "s.json", targetDescription: "t", baseURL: "http://127.0.0.1:1",
            startedAt: Date(timeIntervalSince1970: 0), duration: .milliseconds(2500.25),
            cases: [
                Self.caseResult(
                    "p1", .passed,
                    findings: [.warning(.headerToken, "w"), Finding(.knownDeviation, check: .bodySchema, "k")]),
                Self.caseResult("p2", .passed), Self.caseResult("f", .failed, findings: [.failure(.status, "x")]),
                Self.caseResult("e1", .errored), Self.caseResult("e2", .errored), Self.caseResult("s1", .skipped),
                Self.caseResult("s2", .skipped), Self.caseResult("s3", .skipped),
            ], transcript: "")
        let json = JSONResults(results: [result], exitStatus: .failed)
        let suite = try #require(json.suites.first)
        #expect(
            suite.counts
                == JSONResults.Counts(
                    tests: 8, passed: 2, failed: 1, errors: 2, skipped: 3, warnings: 1, knownDeviations: 1))
        #expect(
            suite.counts.tests == suite.counts.passed + suite.counts.failed + suite.counts.errors + suite.counts.skipped
        )
        #expect(suite.durationMs == 2500.25)
        #expect(
            suite.cases.map(\.outcome) == [
                "passed", "passed", "failed", "errored", "errored", "skipped", "skipped", "skipped",
            ])
        #expect(json.exitStatus == 1)
    }

    /// Findings, statuses and connections are data, under `format_version` 2.
    @Test func findingsAreExportedAsData() throws {
        var failed = Self.caseResult(
            "f", .failed,
            findings: [
                Finding.failure(
                    .fieldEquals, #"error: expected "invalid_request", got string "x""#, location: .field("error"),
                    expected: #""invalid_request""#, actual: #"string "x""#
                ).explained(by: "RFC 6749 §5.2"),
                .warning(.headerToken, "w", location: .header("Cache-Control"), expected: #""no-store""#),
                .failure(.bodyXMLSchema, "line 2: …", location: .xml(line: 2, element: "Token")),
            ])
        failed.statusCounts = [.init(status: 200, count: 3), .init(status: 500, count: 1)]
        failed.connectionCounts = .init(new: 1, reused: 3, connectMedianMilliseconds: 0.4)
        let result = SuiteResult(
            suiteName: "s", suiteFile: "s.json", targetDescription: "t", baseURL: "http://127.0.0.1:1",
            startedAt: Date(timeIntervalSince1970: 0), duration: .zero, cases: [failed], transcript: "")
        let data = JSONResults(results: [result], exitStatus: .failed).encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""format_version" : 2"#))
        let json = try JSONDecoder.snakeCase.decode(JSONResults.self, from: data)
        let entry = try #require(json.suites.first?.cases.first)
        #expect(
            entry.findings == [
                .init(
                    severity: "failure", check: "field.equals", label: "field",
                    message: #"error: expected "invalid_request", got string "x" (RFC 6749 §5.2)"#,
                    location: .init(kind: "field", path: "error"), expected: #""invalid_request""#,
                    actual: #"string "x""#, rule: "RFC 6749 §5.2", rfc: "RFC 6749 §5.2"),
                .init(
                    severity: "warning", check: "header.token", label: "header", message: "w",
                    location: .init(kind: "header", name: "Cache-Control"), expected: #""no-store""#),
                .init(
                    severity: "failure", check: "body.xml-schema", label: "xml-schema", message: "line 2: …",
                    location: .init(kind: "xml", line: 2, element: "Token")),
            ])
        #expect(entry.statuses == [.init(status: 200, count: 3), .init(status: 500, count: 1)])
        #expect(entry.connections == .init(new: 1, reused: 3, connectMedianMs: 0.4))
        #expect(failed.statusSummary == "200 ×3, 500 ×1")
        #expect(failed.connections == "1 new (connect median 0.4 ms), 3 reused")
    }
}
