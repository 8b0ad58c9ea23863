import Foundation
import Testing

@testable import ConformKit

/// `suites/oidc.json` against a real OpenID Provider that conform's authors did not write: Authlib's
/// (Tests/authlib/oidc_server.py: discovery and RFC 8414 metadata validated by Authlib, a JWK Set, RFC 9068
/// access tokens, ID tokens from authlib.oidc.core, revocation and introspection), with the client using
/// HTTP Basic and then credentials in the body. Every case's outcome is asserted; the baseline
/// (Tests/authlib/authlib-oidc.baseline.json) records what conform finds wrong, which today is nothing;
/// no secret, key or issued token leaves conform.
@Suite(.serialized, .temporaryDirectories) struct AuthlibOIDCEndToEndTests {
    private static let suite = TestPaths.suite("oidc.json")
    private static let baseline = TestPaths.packageRoot.appendingPathComponent(
        "Tests/authlib/authlib-oidc.baseline.json")

    /// Outcome, status and case name, then every finding: the whole run as a table.
    static let expectedTable = [
        "passed 200 discovery document",
        "passed 200 authorization server metadata (RFC 8414)",
        "passed 200 JWK Set",
        "passed 200 client_credentials with client_secret_basic",
        "passed 200 client_credentials with client_secret_post",
        // Authlib's provider advertises client_secret_basic and client_secret_post only.
        "skipped - client_credentials with client_secret_jwt",
        "skipped - client_credentials with private_key_jwt",
        "passed 200 client_credentials with OIDC_CLIENT_AUTH",
        "passed 401 wrong client secret is refused",
        "passed 200 introspection of a live access token",
        "passed 200 revocation of the access token",
        "passed 200 introspection after revocation",
        "passed 200 revoking an unknown token answers 200",
        "passed 200 refresh_token grant",
        "passed 200 revocation of the refresh token",
        "passed 400 revoked refresh token is refused",
    ]

    @Test(arguments: ["client_secret_basic", "client_secret_post"])
    func everyCaseHasTheOutcomeAuthlibEarnsAndNothingSecretLeaks(auth: String) async throws {
        let server = try await AuthlibServer.start(auth: auth, script: AuthlibServer.oidcScript)
        defer { server.stop() }
        #expect(server.oidcEnvironment["OIDC_CLIENT_AUTH"] == auth)
        let folder = TestPaths.temporaryDirectory()
        let html = folder.appendingPathComponent("report.html").path
        let har = folder.appendingPathComponent("run.har").path
        let written = folder.appendingPathComponent("baseline.json").path
        let outcome = await runConform(
            [Self.suite],
            arguments: {
                $0.baseURL = server.baseURL
                $0.format = .json
                $0.htmlReportPath = html
                $0.harPath = har
                $0.writeBaselinePath = written
            }, environment: server.oidcEnvironment)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        let table = (results.suites.first?.cases ?? []).map { testCase in
            let head = "\(testCase.outcome) \(testCase.status.map(String.init) ?? "-") \(testCase.name)"
            let findings = testCase.findings.map { "\($0.severity) \($0.check): \($0.message)" }
            return ([head] + findings).joined(separator: " | ")
        }
        #expect(outcome.status == .passed, "\(outcome.stderr)")
        #expect(table == Self.expectedTable)
        #expect(outcome.stderr.contains("oidc: 16 cases: 14 passed, 0 failed, 0 errors, 2 skipped; 0 warnings;"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        let writtenBaseline = (try? String(contentsOfFile: written, encoding: .utf8)) ?? ""
        // What --write-baseline records is what the committed baseline holds: no deviation (each file has its
        // own key, so the files differ in that alone).
        let recorded = try Baseline.decoded(Data(writtenBaseline.utf8), path: "written")
        let committed = try Baseline.load(Self.baseline.path)
        #expect(recorded.deviations.isEmpty && committed.deviations.isEmpty && committed.legacyNote == nil)
        // The client secret, the Basic value derived from it, the signing key's private exponent, and every
        // token Authlib logged as issued (the refresh token handed over, three client-credentials access
        // tokens, and from the refresh an access token, a refresh token and an ID token).
        let basic = Data("\(server.oidcEnvironment["OIDC_CLIENT_ID"] ?? ""):\(server.loggedSecrets.first ?? "")".utf8)
            .base64EncodedString()
        #expect(server.loggedSecrets.count == 2)
        #expect(server.issuedTokens.count == 8)
        let everything =
            outcome.everything + ((try? String(contentsOfFile: html, encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: har, encoding: .utf8)) ?? "") + writtenBaseline
        #expect(everything.contains("refresh_token grant"))
        for secret in server.loggedSecrets + server.issuedTokens + [basic] {
            #expect(secret.count >= 24, "\(secret.prefix(4))…")
            for part in [secret, String(secret.prefix(12)), String(secret.suffix(12))] {
                #expect(!everything.contains(part), "a secret leaked: \(part.prefix(6))…")
            }
        }
    }
}
