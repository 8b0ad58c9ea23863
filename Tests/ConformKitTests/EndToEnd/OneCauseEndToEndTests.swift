import Foundation
import Testing

@testable import ConformKit

/// One cause, one finding, through every output: the JSON results of a real run over the embedded mocks.
@Suite(.temporaryDirectories) struct OneCauseEndToEndTests {
    static func firstCase(_ suite: String, deviation: String) async throws -> JSONResults.CaseEntry {
        let outcome = await runConform([TestPaths.suite(suite)]) {
            $0.mockDeviation = deviation
            $0.format = .json
        }
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        return try #require(results.suites.first?.cases.first)
    }

    /// A string `expires_in`: the model says it; the rule `expires_in > 0` at the same path says nothing more.
    @Test func aStringExpiresInIsOneFinding() async throws {
        let entry = try await Self.firstCase("pitchpoint.json", deviation: "expires-in-string")
        let failures = entry.findings.filter { $0.severity == "failure" }
        #expect(
            failures == [
                .init(
                    severity: "failure", check: "body.model", label: "body",
                    message: #"pitchpoint.token: expires_in: expected a JSON number, got string "3600""#,
                    location: .init(kind: "field", path: "expires_in"), expected: "a JSON number",
                    actual: #"string "3600""#)
            ])
    }

    /// An HTML 500: the status, one note for the body's checks and capture, one note for the `warn` block.
    @Test func anHTML500IsOneCause() async throws {
        let entry = try await Self.firstCase("pitchpoint.json", deviation: "html-500")
        #expect(entry.findings.filter { $0.severity == "failure" }.map(\.check) == ["status"])
        #expect(entry.findings.filter { $0.severity == "warning" }.isEmpty)
        #expect(
            entry.findings.filter { $0.check == "warn.verdict" }.map(\.message) == [
                "warn checks not evaluated: the status check failed"
            ])
        #expect(entry.findings.filter { $0.check == "checks.not-judged" }.count == 1)
    }
}
