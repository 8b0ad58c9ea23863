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
                    "p1", .passed, findings: [.warning("header", "w"), Finding(.knownDeviation, check: "body", "k")]),
                Self.caseResult("p2", .passed), Self.caseResult("f", .failed, findings: [.failure("status", "x")]),
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
}
