import Foundation
import Testing

@testable import ConformKit

/// Every JUnit `type` and every JSON `check` that a broad set of runs produces is an identity of
/// `CheckID.all` (the documented table): each mock's own suite, clean and with each of its deviations.
@Suite(.temporaryDirectories) struct CheckIdentityCoverageTests {
    /// What one run produced: the `type` of each `<failure>`, and the `check` of each finding.
    static func produced(_ suite: String, deviation: String?) async throws -> (types: Set<String>, checks: Set<String>)
    {
        let outcome = await runConform([suite]) {
            $0.mockDeviation = deviation
            $0.format = .json
        }
        let document = try JUnitReader.read(outcome.report, file: outcome.reportPath)
        let types = document.suites.flatMap(\.testCases).compactMap { testCase -> String? in
            guard let result = testCase.result, result.kind == .failure else { return nil }
            return result.type
        }
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        let checks = results.suites.flatMap { suite in
            suite.warnings.map(\.check) + suite.notes.map(\.check) + suite.cases.flatMap { $0.findings.map(\.check) }
        }
        return (Set(types), Set(checks))
    }

    @Test func everyTypeAnyMockRunProducesIsDocumented() async throws {
        let known = Set(CheckID.all.map(\.rawValue))
        var types: Set<String> = []
        var checks: Set<String> = []
        for mock in MockRegistry.all {
            let suite = TestPaths.suite("\(mock.name).json")
            // `slow` waits 2.5 s per request: the latency budget is covered by the run below instead.
            for deviation in [nil] + mock.allDeviations.map(\.name) where deviation != "slow" {
                let run = try await Self.produced(suite, deviation: deviation)
                #expect(
                    run.types.isSubset(of: known), "\(mock.name) \(deviation ?? "-"): \(run.types.subtracting(known))")
                #expect(
                    run.checks.isSubset(of: known), "\(mock.name) \(deviation ?? "-"): \(run.checks.subtracting(known))"
                )
                types.formUnion(run.types)
                checks.formUnion(run.checks)
            }
        }
        // The runs are broad: they make the common failures.
        for expected in ["status", "content-type", "body.model", "body.xml-schema", "field.equals"] {
            #expect(types.contains(expected), "\(expected) not produced: \(types.sorted())")
        }
        for expected in ["header.token", "warn.verdict", "checks.not-judged"] {
            #expect(checks.contains(expected), "\(expected) not produced: \(checks.sorted())")
        }
    }
}
