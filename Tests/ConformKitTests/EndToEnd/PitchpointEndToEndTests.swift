import Foundation
import Testing

@testable import ConformKit

@Suite(.temporaryDirectories) struct PitchpointEndToEndTests {
    @Test func passesOnTheEmbeddedMock() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")])
        #expect(outcome.status == .passed)
        // The credentials the embedded mock accepts, secrets masked, on standard error only.
        #expect(
            outcome.stderr.replacingOccurrences(of: #"mock-client-\w+|PITCHPOINT_USERNAME=\S+"#, with: "X", options: .regularExpression)
                == "conform: note: the embedded pitchpoint mock accepts PITCHPOINT_REFRESH_TOKEN=*** X PITCHPOINT_PASSWORD=*** PITCHPOINT_JWKS_URL=/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com\n")
        #expect(outcome.stdout.contains("pitchpoint: 10 cases: 10 passed, 0 failed, 0 errors, 0 skipped; 4 warnings;"))
        #expect(outcome.stdout.contains("note [report]: refresh_token: same value as ${refresh_token}"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        assertSnapshot(normalized(outcome.stdout), named: "pitchpoint-pass-console")
        assertSnapshot(normalized(outcome.reportText), named: "pitchpoint-pass-junit")
    }

    /// One case per deviation: each makes the run fail with the finding that names the field or check.
    @Test(arguments: [
        (
            "missing-field", "failure [body]: pitchpoint.token: scope: expected a string, got nothing (field missing)",
            "<failure type=\"body.model\""
        ),
        (
            "expires-in-string",
            #"failure [body]: pitchpoint.token: expires_in: expected a JSON number, got string "3600""#,
            "<failure type=\"body.model\""
        ),
        (
            "wrong-token-type", #"failure [field]: token_type: expected "Bearer" (ignoring case), got string "mac""#,
            "<failure type=\"field.equals\""
        ),
        (
            "wrong-content-type", "failure [content-type]: expected application/json, got text/plain; charset=utf-8",
            "<failure type=\"content-type\""
        ),
        (
            "wrong-error-shape",
            "failure [body]: pitchpoint.error: a body of another shape: none of the documented fields (error, error_description) is present; it has message, status",
            "<failure type=\"body.model\""
        ),
        ("html-500", "failure [status]: expected 200, got 500 (a server error)", "<failure type=\"status\""),
        ("truncated-body", "error [truncated-body]: the connection closed after", "<error type=\"truncated-body\""),
        (
            "close-without-response",
            "error [no-response]: the server closed the connection without sending a response",
            "<error type=\"no-response\""
        ),
        (
            "rotate-refresh-token", "FAIL  original refresh token still works after a refresh (400, ",
            "<failure type=\"status\""
        ),
    ])
    func eachDeviationFails(deviation: String, finding: String, reportElement: String) async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = deviation }
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains(finding))
        #expect(outcome.reportText.contains(reportElement))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    /// Each JWT deviation fails the success cases with the claim or the signature named (the mock's
    /// credentials give `PITCHPOINT_JWKS_URL`, so the signature is verified against the mock's key set).
    @Test(arguments: [
        ("jwt-expired", "failure [jwt]: access_token: JWT exp: ", "is 60 minutes before the response's Date ("),
        (
            "jwt-lifetime-mismatch", "failure [jwt]: access_token: JWT exp - iat is 4 s (iat ",
            "but expires_in says 3600 s (60 s skew allowed)"
        ),
        (
            "jwt-bad-signature",
            #"failure [jwt]: access_token: JWT signature (RS256, kid "conform-mock-1") does not verify with the key set /service_accounts/v1/jwk/securetoken@system.gserviceaccount.com"#,
            "does not verify"
        ),
        (
            "jwt-alg-none", #"failure [jwt]: access_token: JWT alg "none": an unsigned token is never accepted"#,
            "never accepted"
        ),
    ])
    func eachJWTDeviationFailsNamingTheClaim(deviation: String, finding: String, detail: String) async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = deviation }
        #expect(outcome.status == .failed)
        let lines = outcome.stdout.split(separator: "\n").filter { $0.contains(finding) }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains(detail) })
        #expect(outcome.reportText.contains("<failure type=\"jwt."))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        // The issued token is never printed, whatever the finding.
        #expect(!outcome.stdout.contains("eyJ") && !outcome.reportText.contains("eyJ"))
    }

    /// A key set that cannot be had fails every check that needs it, saying why: fetched once per run.
    @Test(arguments: [
        ("/nope", "the key set /nope answered 404, not 200 with a JWK Set"),
        ("ftp://keys.example/set", "the key set ftp://keys.example/set is neither an http(s) URL nor a path on the base URL"),
    ])
    func aKeySetThatCannotBeHadFailsTheChecks(url: String, why: String) async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.variables = ["jwks_url=\(url)"] }
        #expect(outcome.status == .failed)
        #expect(
            outcome.stdout.contains(
                #"failure [jwt]: access_token: JWT signature (RS256, kid "conform-mock-1") not verified: \#(why)"#))
        #expect(outcome.stdout.contains("pitchpoint: 10 cases: 6 passed, 4 failed"))
    }

    /// An HTML 500 is one cause: the status fails, the page is named once in a note that stands for the body's
    /// checks and captures, and the `warn` block is not judged.
    @Test func htmlErrorPageIsNamedAsSuch() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = "html-500" }
        let page = #"(expected a JSON body, got an HTML page (text/html): "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error…")"#
        #expect(
            outcome.stdout.contains(
                """
                  FAIL  refresh with valid token (500, 
                """))
        let first = outcome.stdout.components(separatedBy: "  FAIL  refresh with valid token (500, ").dropFirst().first ?? ""
        let lines = first.split(separator: "\n").prefix { !$0.hasPrefix("  FAIL") }.map(String.init)
        #expect(lines.filter { $0.hasPrefix("        failure") } == ["        failure [status]: expected 200, got 500 (a server error)"])
        #expect(
            lines.filter { $0.hasPrefix("        note [checks]") || $0.hasPrefix("        note [warn]") } == [
                "        note [checks]: 2 checks and 1 capture of the body not judged: the status check failed, and the body is not the document expected \(page)",
                "        note [warn]: warn checks not evaluated: the status check failed",
            ])
    }

    @Test func aSlowResponseFailsTheBudget() async throws {
        let suite = TestPaths.fixtureSuite("pitchpoint-refresh-only.json")
        let outcome = await runConform([suite]) { $0.mockDeviation = "slow" }
        #expect(outcome.status == .failed)
        // The mock waits 2500 ms before answering, so the measured time cannot be below it.
        let measured = outcome.stdout.firstMatch(of: /failure \[latency\]: budget 2000 ms, measured (\d+(?:\.\d)?) ms/)
        let milliseconds = try #require(measured.flatMap { Double($0.1) })
        #expect(milliseconds >= 2500)
    }

    /// A request that outlives --timeout is an error, the report stays valid, and the run goes on.
    @Test func aTimeoutIsAnError() async {
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")]) {
            $0.mockDelayMilliseconds = 1500
            $0.timeoutSeconds = 0.2
        }
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains("error [timeout]: no complete response within the 0.2 s timeout"))
        #expect(
            outcome.reportText.contains(
                #"<error type="timeout" message="no complete response within the 0.2 s timeout">"#))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    @Test func theBudgetComesFromAVariable() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.mockDelayMilliseconds = 30
            $0.variables = ["latency_budget_ms=10"]
        }
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.components(separatedBy: "failure [latency]: budget 10 ms, measured ").count == 10)
    }

    @Test func signInCasesAreSkippedWithoutCredentials() async throws {
        let mock = try await StartedMock.start("pitchpoint")
        defer { Task { await mock.server.stop() } }
        let environment = ["PITCHPOINT_REFRESH_TOKEN": mock.environment["PITCHPOINT_REFRESH_TOKEN"]!]
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")], arguments: { $0.baseURL = mock.baseURL }, environment: environment)
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                "  SKIP  sign in with username and password: variable 'username' (PITCHPOINT_USERNAME) is not set"))
        #expect(
            outcome.reportText.contains(#"<skipped message="variable 'username' (PITCHPOINT_USERNAME) is not set">"#))
        #expect(outcome.stdout.contains("7 passed, 0 failed, 0 errors, 3 skipped"))
    }
}
