import Foundation
import Testing

@testable import ConformJSON
@testable import ConformJSONSchema
@testable import ConformKit
@testable import ConformSupport

/// `suites/oauth2.json`, the generic RFC 6749 profile, against conform's strictly conformant mock and
/// each of its deviations, and against valid variations of the RFC that the profile must accept.
@Suite(.temporaryDirectories) struct OAuth2EndToEndTests {
    private static let suite = TestPaths.suite("oauth2.json")

    @Test func passesOnTheEmbeddedMockAndSaysWhichCredentials() async throws {
        let outcome = await runConform([Self.suite])
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 0 warnings;"))
        // The mock detects reuse (RFC 9700 §4.14.2): the replay revoked the family, and the run says so.
        #expect(
            outcome.stdout.contains(
                "  PASS  reuse detection revoked the latest refresh token (400, "), "\(outcome.stdout)")
        #expect(
            outcome.stdout.contains(
                "        note [warn]: reuse detection: the replay revoked the token family, and the latest refresh token is refused\n"
            ))
        #expect(outcome.stderr.hasPrefix("conform: note: the embedded oauth2 mock accepts OAUTH2_CLIENT_ID=conform-mock-client-"))
        #expect(outcome.stderr.hasSuffix(" OAUTH2_CLIENT_SECRET=*** OAUTH2_REFRESH_TOKEN=*** OAUTH2_SCOPE=read\n"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    /// Each deviation fails the run with the field, header or section named.
    @Test(arguments: [
        ("error-at-200", "failure [status]: expected 400, got 200 (a success status) (RFC 6749 §5.2)"),
        ("expires-in-string", #"failure [body]: rfc6749.token: expires_in: expected integer, got string "3600" (RFC 6749 §5.1, RFC 6750 §4)"#),
        ("missing-token-type", #"failure [body]: rfc6749.token: (root): missing required property "token_type" (RFC 6749 §5.1, RFC 6750 §4)"#),
        ("scope-as-array", "failure [body]: rfc6749.token: scope: expected string, got an array of 1 (RFC 6749 §5.1, RFC 6750 §4)"),
        ("basic-failure-400", #"failure [header]: WWW-Authenticate: expected a challenge with the "Basic" scheme, got no WWW-Authenticate header (RFC 6749 §5.2)"#),
        // The schema's registry names the code; the rule at the same path (expected "invalid_request") is one cause.
        (
            "unregistered-error-code",
            #"failure [body]: rfc6749.error: error: expected one of "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", got string "invalid_credentials" (RFC 6749 §5.2)"#
        ),
        ("no-store-missing", #"failure [header]: Cache-Control: expected "no-store", got no Cache-Control header (RFC 6749 §5.1, RFC 6750 §4)"#),
        ("html-errors", "failure [content-type]: expected application/json, got text/html; charset=utf-8 (RFC 6749 §5.2)"),
        ("401-without-challenge", "failure [client-auth]: status 401 without a WWW-Authenticate challenge (RFC 9110 §15.5.2: a 401 response must send one)"),
    ])
    func eachDeviationFailsNamingTheFieldHeaderOrSection(deviation: String, finding: String) async {
        let outcome = await runConform([Self.suite]) { $0.mockDeviation = deviation }
        #expect(outcome.status == .failed)
        #expect(outcome.stdout.contains(finding), "\(deviation)")
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    /// RFC 6749 §5.2's Basic MUSTs hold in every case that sends Basic, not only the one written for them:
    /// "unknown client is refused" sends Basic by default, and a 400 there fails.
    @Test func everyCaseThatSendsBasicGetsA401WithABasicChallenge() async {
        let outcome = await runConform([Self.suite]) { $0.mockDeviation = "basic-failure-400" }
        #expect(outcome.stdout.contains("  FAIL  unknown client is refused (400, "), "\(outcome.stdout)")
        #expect(
            outcome.stdout.contains(
                "        failure [client-auth]: invalid_client for a client that sent HTTP Basic credentials: expected status 401, got 400 (RFC 6749 §5.2)\n"
            ))
        // Sent in the body, the same refusal may be a 400.
        let post = await runConform([Self.suite]) {
            $0.mockDeviation = "basic-failure-400"
            $0.variables = ["client_auth=client_secret_post"]
        }
        #expect(post.stdout.contains("  PASS  unknown client is refused (400, "), "\(post.stdout)")
    }

    /// Valid variations of RFC 6749: refresh tokens kept or rotated without reuse detection.
    @Test(arguments: [OAuth2Mock.RefreshPolicy.keep, .rotate])
    func validRefreshVariationsPass(policy: OAuth2Mock.RefreshPolicy) async throws {
        let endpoint = OAuth2Mock(configuration: MockConfiguration(), refreshPolicy: policy)
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        let outcome = await runConform(
            [Self.suite], arguments: { $0.baseURL = server.baseURL.absoluteString },
            environment: endpoint.credentials.environment.merging(["OAUTH2_CLIENT_AUTH": "client_secret_post"]) { $1 })
        await server.stop()
        #expect(outcome.status == .passed)
        #expect(outcome.stdout.contains("oauth2: 13 cases"))
        if policy == .keep {
            #expect(
                outcome.stdout.contains(
                    "  SKIP  the rotated refresh token works: needs ${rotated_refresh_token}, and the response to 'refresh with the refresh token' had no field refresh_token (optional there)"
                ))
            #expect(
                outcome.stdout.contains(
                    "  SKIP  reuse detection revoked the latest refresh token: needs ${latest_refresh_token}, which case 'the rotated refresh token works' could not capture: it was skipped"
                ), "\(outcome.stdout)")
        } else {
            #expect(outcome.stdout.contains("  PASS  the refresh token used before rotation no longer works (400,"))
            // Rotation without reuse detection is valid RFC 6749, and RFC 9700 asks for more: a warning.
            #expect(outcome.stdout.contains("  PASS  reuse detection revoked the latest refresh token (200,"))
            #expect(
                outcome.stdout.contains(
                    "        note [warn]: no reuse detection: the latest refresh token still works after the old one was replayed\n"
                ))
        }
    }

    @Test func withoutARefreshTokenTheRefreshCasesAreSkippedWithTheReason() async throws {
        let endpoint = OAuth2Mock(configuration: MockConfiguration())
        let server = try await MockServer.start(endpoint, configuration: MockConfiguration())
        var environment = endpoint.credentials.environment
        environment["OAUTH2_REFRESH_TOKEN"] = nil
        environment["OAUTH2_SCOPE"] = nil
        let outcome = await runConform(
            [Self.suite], arguments: { $0.baseURL = server.baseURL.absoluteString }, environment: environment)
        await server.stop()
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                "  SKIP  refresh with the refresh token: variable 'refresh_token' (OAUTH2_REFRESH_TOKEN) is not set"))
        #expect(
            outcome.stdout.contains(
                "  SKIP  client credentials grant with a scope: variable 'scope' (OAUTH2_SCOPE) is not set"))
    }

    @Test func theShippedRFC6749ShapesAreTheFilesInSuites() throws {
        for (name, text) in [("token", RFC6749Schemas.token), ("error", RFC6749Schemas.error)] {
            let file = try String(
                contentsOf: TestPaths.packageRoot.appendingPathComponent("suites/schemas/rfc6749/\(name).schema.json"),
                encoding: .utf8)
            // The Swift literal ends before the file's last line break.
            #expect(file == text + "\n", "\(name)")
        }
        #expect(ResponseModels.schemas.map(\.name) == ["rfc6749.token", "rfc6749.error"])
    }
}

/// `json_schema` bodies: a file beside the suite or the schema inline, with located problems.
@Suite(.temporaryDirectories) struct JSONSchemaBodyTests {
    private func diagnostics(_ text: String, files: [String: String] = [:]) -> [String] {
        TestPaths.suiteDiagnostics(text, files: files)
    }

    private func suite(body: String) -> String {
        """
        {"format": 1, "name": "s", "mock": "pitchpoint", "cases": [
          {"name": "a", "request": {"method": "GET", "path": "/a"},
           "expect": {"status": 200, "body": {"json_schema": \(body)}}}
        ]}
        """
    }

    @Test func unsupportedKeywordsAreRefusedWhereTheyAre() {
        #expect(
            diagnostics(suite(body: #"{"type": "object", "unevaluatedProperties": false}"#)) == [
                #"suite.json:3:73: error: unsupported JSON Schema keyword "unevaluatedProperties": it depends on the annotations of every other keyword, which conform does not collect; use "additionalProperties" (see docs/json-schema.md)"#
            ])
        #expect(
            diagnostics(suite(body: #""token.json""#), files: ["token.json": "{\n  \"$dynamicRef\": \"#x\"\n}"]) == [
                #"token.json:2:3: error: unsupported JSON Schema keyword "$dynamicRef": dynamic references are not supported (see docs/json-schema.md)"#
            ])
        #expect(
            diagnostics(suite(body: #""missing.json""#))
                == ["suite.json:3:54: error: cannot use JSON Schema 'missing.json': cannot read the JSON Schema: no such file"])
        #expect(diagnostics(suite(body: #"{"type": "object", "required": ["access_token"]}"#)) == [])
    }

    @Test func violationsNameThePathAndRulesSkipWhatTheSchemaReports() async throws {
        let schema = #"{"type": "object", "required": ["access_token", "expires_in"], "properties": {"expires_in": {"type": "integer"}}}"#
        let check = JSONSchemaCheck(
            body: CompiledJSONBody(
                schema: try JSONSchema.compile(try JSONNodeParser.parse(Array(schema.utf8)), file: "x").get(), name: "acme.token"))
        let body = response(body: #"{"expires_in": "3600"}"#)
        #expect(
            messages(check, body) == [
                #"failure: acme.token: (root): missing required property "access_token""#,
                #"failure: acme.token: expires_in: expected integer, got string "3600""#,
            ])
        // The schema already says access_token is missing; the field rule does not say it again.
        let rule = FieldRuleCheck(path: FieldPath("access_token")!, rule: .nonEmpty, presence: .jsonSchema(check.body.schema))
        #expect(messages(rule, body) == [])
        let other = FieldRuleCheck(path: FieldPath("scope")!, rule: .nonEmpty, presence: .jsonSchema(check.body.schema))
        #expect(messages(other, body) == ["failure: scope: expected a non-empty string, got nothing (field missing)"])
    }
}
