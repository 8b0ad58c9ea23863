import Foundation
import Testing

@testable import ConformKit
@testable import ConformSupport

/// `suites/oauth2.json` against a real OAuth 2.0 server that conform's authors did not write: a token
/// endpoint built on Authlib (Tests/authlib/server.py), with the client registered for HTTP Basic and for
/// credentials in the body. Every case's outcome is asserted; Authlib's deviations from RFC 6749 are
/// carried by Tests/authlib/authlib.baseline.json; no secret the server created or issued leaves conform.
///
/// Python with Authlib and Flask is required: without them these tests fail with the reason.
@Suite(.serialized, .temporaryDirectories) struct AuthlibEndToEndTests {
    private static let suite = TestPaths.suite("oauth2.json")
    private static let baseline = TestPaths.packageRoot.appendingPathComponent("Tests/authlib/authlib.baseline.json")

    /// Authlib's one deviation the profile finds: RFC 6749 §5.2 names invalid_request for a request that
    /// is "missing a required parameter", and unsupported_grant_type for a grant type the server does not
    /// support; Authlib looks for a grant class matching grant_type and, finding none, says the latter.
    private static let missingGrantType =
        #"error: expected "invalid_request", got string "unsupported_grant_type" (RFC 6749 §5.2)"#

    /// Case, outcome and status, then every finding (severity check: message), skip reason and error:
    /// the whole run as a table.
    /// With the baseline, the deviation is a known one and its case passes.
    private static func expectedTable(auth: String, baseline: Bool) -> [String] {
        let deviation =
            baseline
            ? "passed 400 missing grant_type is refused | known_deviation"
            : "failed 400 missing grant_type is refused | failure"
        return [
            "passed 200 client credentials grant",
            "passed 200 client credentials grant with a scope",
            "passed 401 failed Basic authentication gets 401 and a Basic challenge",
            // Authlib answers 401 with a Basic challenge whenever client_secret_basic is among the grant's methods.
            "passed 401 wrong client secret in the body gets invalid_client",
            // Basic: an unknown client in the Authorization header gets 401; in the body, 400.
            "passed \(auth == "client_secret_basic" ? 401 : 400) unknown client is refused",
            "\(deviation) field: \(Self.missingGrantType)",
            "passed 400 unsupported grant type is refused",
            "passed 400 invalid refresh token is refused",
            // Flask's router answers a GET on a POST-only route: 405 and an HTML page.
            "passed 405 token request by GET with credentials in the query",
            "passed 200 refresh with the refresh token | note report: refresh_token: a different value from ${refresh_token}",
            "passed 200 the rotated refresh token works",
            "passed 400 the refresh token used before rotation no longer works",
            // Authlib leaves the token family alone when a rotated-away token comes back: no reuse detection.
            noReuseDetection,
        ]
    }

    /// Every output of one run: the console (standard error with `--format json`), the JSON results, the
    /// JUnit report, the HTML report and, when asked, the baseline written.
    private struct Outputs {
        var run: RunOutcome
        var results: JSONResults
        var html: String
        var writtenBaseline: String

        var console: String { run.stderr }
        var everything: String { run.everything + html + writtenBaseline }

        var table: [String] {
            (results.suites.first?.cases ?? []).map { testCase in
                let head = "\(testCase.outcome) \(testCase.status.map(String.init) ?? "-") \(testCase.name)"
                let findings = testCase.findings.map { "\($0.severity) \($0.label): \($0.message)" }
                let reasons = [testCase.skipReason.map { "skipped: \($0)" }, testCase.error.map { "error \($0.kind)" }]
                return ([head] + findings + reasons.compactMap { $0 }).joined(separator: " | ")
            }
        }
    }

    private func run(
        _ server: AuthlibServer, baseline: String? = nil, writeBaseline: Bool = false,
        environment: [String: String]? = nil, tags: [String] = []
    ) async throws -> Outputs {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = folder.appendingPathComponent("report.html").path
        let written = folder.appendingPathComponent("baseline.json").path
        let outcome = await runConform(
            [Self.suite],
            arguments: {
                $0.baseURL = server.baseURL
                $0.format = .json
                $0.htmlReportPath = html
                $0.baselinePath = baseline
                if writeBaseline { $0.writeBaselinePath = written }
                $0.tags = tags
            }, environment: environment ?? server.environment)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        return Outputs(
            run: outcome, results: results, html: (try? String(contentsOfFile: html, encoding: .utf8)) ?? "",
            writtenBaseline: (try? String(contentsOfFile: written, encoding: .utf8)) ?? "")
    }

    /// The client secret, the Authorization value conform derived from it and its base64, and every token
    /// the server logged as issued: none may appear in any output, whole or as a 12-character start or end.
    private func assertNothingSecretLeaks(
        _ outputs: Outputs, _ server: AuthlibServer, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let basic = Data("\(server.clientID):\(server.clientSecret)".utf8).base64EncodedString()
        let issued = server.issuedTokens
        // The refresh token handed to conform, then for each of the three refreshes an access token and a new
        // refresh token; an access token for each client credentials case.
        #expect(issued.count == 10, "tokens the server logged: \(issued.count)", sourceLocation: sourceLocation)
        #expect(issued.contains(server.environment["OAUTH2_REFRESH_TOKEN"] ?? "-"), sourceLocation: sourceLocation)
        let secrets = [server.clientSecret, "Basic \(basic)", basic] + issued
        let everything = outputs.everything
        #expect(!everything.isEmpty && !outputs.html.isEmpty && !outputs.run.reportText.isEmpty)
        for secret in secrets {
            #expect(secret.count >= 24, "\(secret.prefix(4))…", sourceLocation: sourceLocation)
            for part in [secret, String(secret.prefix(12)), String(secret.suffix(12))] {
                #expect(
                    !everything.contains(part), "a secret leaked: \(part.prefix(6))…", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: ["client_secret_basic", "client_secret_post"])
    func everyCaseHasTheOutcomeAuthlibEarns(auth: String) async throws {
        let server = try await AuthlibServer.start(auth: auth)
        defer { server.stop() }
        #expect(server.environment["OAUTH2_CLIENT_AUTH"] == auth)
        let outputs = try await run(server, writeBaseline: true)
        #expect(outputs.run.status == .failed)
        #expect(outputs.results.exitStatus == 1)
        #expect(outputs.table == Self.expectedTable(auth: auth, baseline: false))
        #expect(
            outputs.console.contains(
                "oauth2: 13 cases: 12 passed, 1 failed, 0 errors, 0 skipped; 1 warning;"))
        #expect(outputs.console.contains("  FAIL  missing grant_type is refused (400, "))
        #expect(outputs.console.contains("        failure [field]: \(Self.missingGrantType)\n"))
        #expect(outputs.console.contains(#"        body: {"error": "unsupported_grant_type"}"#))
        #expect(
            outputs.run.reportText.contains(
                #"<failure type="field.equals" message="error: expected &quot;invalid_request&quot;, got string &quot;unsupported_grant_type&quot; (RFC 6749 §5.2)">"#
            ))
        #expect(JUnitSchemas.problems(outputs.run.report) == [])
        // The committed baseline is what --write-baseline records against Authlib, in both configurations: the
        // same identities, and the same value hashed (each file has its own key).
        let written = try Baseline.decoded(Data(outputs.writtenBaseline.utf8), path: "written")
        let committed = try Baseline.load(Self.baseline.path)
        #expect(written.deviations.map(\.identityFields) == committed.deviations.map(\.identityFields))
        #expect(
            written.deviations.map(\.actualDigest) == [written.digest("actual", #"string "unsupported_grant_type""#)])
        #expect(!outputs.writtenBaseline.contains("unsupported_grant_type"))
        assertNothingSecretLeaks(outputs, server)
    }

    @Test(arguments: ["client_secret_basic", "client_secret_post"])
    func theBaselineCarriesAuthlibsDeviationsAndTheRunPasses(auth: String) async throws {
        let server = try await AuthlibServer.start(auth: auth)
        defer { server.stop() }
        let outputs = try await run(server, baseline: Self.baseline.path)
        #expect(outputs.run.status == .passed)
        #expect(outputs.results.exitStatus == 0)
        #expect(outputs.table == Self.expectedTable(auth: auth, baseline: true))
        #expect(
            outputs.console.contains(
                "oauth2: 13 cases: 13 passed, 0 failed, 0 errors, 0 skipped; 1 warning; 1 known deviation;"))
        #expect(outputs.console.contains("  PASS  missing grant_type is refused (400, "))
        #expect(outputs.console.contains("        known deviation [field]: \(Self.missingGrantType)\n"))
        #expect(outputs.results.suites.first?.counts.knownDeviations == 1)
        #expect(
            outputs.run.reportText.contains(
                #"<property name="missing grant_type is refused.known_deviation.1" value="field: error: expected &quot;invalid_request&quot;, got string &quot;unsupported_grant_type&quot; (RFC 6749 §5.2)"/>"#
            ))
        #expect(!outputs.run.reportText.contains("<failure"))
        #expect(JUnitSchemas.problems(outputs.run.report) == [])
        #expect(outputs.html.contains(#"<span class="severity">known deviation</span>"#))
        assertNothingSecretLeaks(outputs, server)
    }

    @Test func theCommittedBaselineNamesOnlyTheMissingGrantType() throws {
        let baseline = try Baseline.load(Self.baseline.path)
        #expect(
            baseline.deviations.map { [$0.suite, $0.case, $0.check, $0.location ?? "-", $0.expected ?? "-"] } == [
                ["oauth2", "missing grant_type is refused", "field.equals", "error", #""invalid_request""#]
            ])
        #expect(
            baseline.deviations.first?.actualDigest == baseline.digest("actual", #"string "unsupported_grant_type""#))
    }

    /// Grant types bound per client, as most servers do: with the refresh client's variables every case has
    /// the outcome of the single-client server, and neither client's secret leaks.
    @Test func aSecondClientForRefreshGetsTheSameOutcomes() async throws {
        let server = try await AuthlibServer.start(auth: "client_secret_basic", splitClients: true)
        defer { server.stop() }
        let refreshSecret = try #require(server.environment["OAUTH2_REFRESH_CLIENT_SECRET"])
        let outputs = try await run(server)
        #expect(outputs.table == Self.expectedTable(auth: "client_secret_basic", baseline: false))
        assertNothingSecretLeaks(outputs, server)
        #expect(!outputs.everything.contains(refreshSecret))
        #expect(!outputs.everything.contains(String(refreshSecret.suffix(12))))
    }

    static let noReuseDetection =
        "passed 200 reuse detection revoked the latest refresh token | warning status: expected 400, got 200 (a success status) (RFC 9700 §4.14.2: a replayed refresh token should revoke the active one of its family) | note warn: no reuse detection: the latest refresh token still works after the old one was replayed"

    static let refreshRefused =
        "the client may not use the refresh_token grant (unauthorized_client, RFC 6749 §5.2), a correct answer for a client registered without it: set OAUTH2_REFRESH_CLIENT_ID and OAUTH2_REFRESH_CLIENT_SECRET to the client the refresh token was issued to (the endpoint answered 400)"

    /// Without the refresh client's variables the first client asks for a grant it is not registered for:
    /// Authlib's unauthorized_client is the right answer, so the refresh cases are skipped with the variables to
    /// set, not failed.
    @Test func aClientRefusedTheRefreshGrantIsToldWhichVariablesToSet() async throws {
        let server = try await AuthlibServer.start(auth: "client_secret_basic", splitClients: true)
        defer { server.stop() }
        let environment = server.environment.filter { !$0.key.hasPrefix("OAUTH2_REFRESH_CLIENT_") }
        let outputs = try await run(server, environment: environment, tags: ["refresh"])
        #expect(
            outputs.table == [
                "skipped 400 invalid refresh token is refused | skipped: \(Self.refreshRefused)",
                "skipped 400 refresh with the refresh token | skipped: \(Self.refreshRefused)",
                "skipped - the rotated refresh token works | skipped: needs ${rotated_refresh_token}, which case 'refresh with the refresh token' could not capture: it was skipped",
                "skipped - the refresh token used before rotation no longer works | skipped: needs ${rotated_refresh_token}, which case 'refresh with the refresh token' could not capture: it was skipped",
                "skipped - reuse detection revoked the latest refresh token | skipped: needs ${latest_refresh_token}, which case 'the rotated refresh token works' could not capture: it was skipped",
            ], "\(outputs.table)")
        #expect(outputs.run.status == .passed)
        #expect(outputs.console.contains("  SKIP  refresh with the refresh token: \(Self.refreshRefused)"), "\(outputs.console)")
    }

    /// Each half of the profile runs alone by its tag, against a server that binds grants per client.
    @Test func eachHalfRunsAloneByItsTag() async throws {
        let server = try await AuthlibServer.start(auth: "client_secret_post", splitClients: true)
        defer { server.stop() }
        let credentials = try await run(server, tags: ["client_credentials"])
        #expect(
            credentials.table == [
                "passed 200 client credentials grant", "passed 200 client credentials grant with a scope",
            ])
        let refresh = try await run(server, tags: ["refresh"])
        #expect(
            refresh.table == [
                "passed 400 invalid refresh token is refused",
                "passed 200 refresh with the refresh token | note report: refresh_token: a different value from ${refresh_token}",
                "passed 200 the rotated refresh token works",
                "passed 400 the refresh token used before rotation no longer works",
                Self.noReuseDetection,
            ])
        let errors = try await run(server, tags: ["errors"])
        #expect(errors.table.count == 7)
        #expect(errors.run.status == .failed)
    }

    /// Without Python, or without Authlib, the tests above fail and say what to install.
    @Test func aMissingInterpreterOrModuleIsAFailureThatSaysWhatToInstall() async throws {
        let noPython = "conform-no-such-python"
        await #expect {
            _ = try await AuthlibServer.start(auth: "client_secret_basic", interpreter: [noPython])
        } throws: { error in
            // env's own words in between depend on the locale.
            "\(error)".hasPrefix("Python 3 is needed to run Tests/authlib/server.py and '\(noPython)' was not found (")
                && "\(error)".hasSuffix(
                    "No such file or directory); install python3, then Authlib and Flask: \(AuthlibServer.installHint(noPython))"
                )
        }
        // -S leaves site-packages, and with it Authlib and Flask, off the module path.
        await #expect {
            _ = try await AuthlibServer.start(auth: "client_secret_basic", interpreter: [AuthlibServer.python, "-S"])
        } throws: { error in
            "\(error)"
                == "Authlib and Flask are needed to run Tests/authlib/server.py, and \(AuthlibServer.python) says: No module named 'authlib'; \(AuthlibServer.installHint(AuthlibServer.python))"
        }
        #expect(
            AuthlibServer.installHint("python3").hasPrefix("install them with `python3 -m pip install authlib flask`"))
    }
}
