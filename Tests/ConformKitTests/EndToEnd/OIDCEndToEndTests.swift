import Foundation
import Testing

@testable import ConformKit

/// `suites/oidc.json` against the embedded `oidc` mock: the documented provider passes; each deviation
/// fails the run naming the claim, member or section.
@Suite(.temporaryDirectories) struct OIDCEndToEndTests {
    private static let suite = TestPaths.suite("oidc.json")

    @Test func passesOnTheEmbeddedMockFollowingDiscovery() async throws {
        let outcome = await runConform([Self.suite])
        #expect(outcome.status == .passed, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("oidc: 16 cases: 15 passed, 0 failed, 0 errors, 1 skipped; 0 warnings;"))
        #expect(outcome.stdout.contains("  PASS  client_credentials with client_secret_jwt (200, "))
        #expect(
            outcome.stdout.contains(
                "  SKIP  client_credentials with private_key_jwt: variable 'client_key' (OIDC_CLIENT_KEY) is not set\n"))
        #expect(outcome.stderr.hasPrefix("conform: note: the embedded oidc mock accepts OIDC_ISSUER=http://127.0.0.1:"))
        // The discovered endpoints are absolute URLs on the mock's origin: the request lines show them.
        #expect(outcome.stdout.contains("  PASS  client_credentials with client_secret_basic (200, "))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        for secret in ["cs-", "rt-", "eyJ"] {
            #expect(!outcome.everything.contains(secret), "\(secret)")
        }
    }

    /// Every method the metadata advertises is tried: with the mock's client key, private_key_jwt too.
    @Test func everyAdvertisedAuthenticationMethodIsTried() async {
        let key = TestPaths.packageRoot.appendingPathComponent("suites/keys/oidc-mock-client.pem").path
        let outcome = await runConform([Self.suite], environment: ["OIDC_CLIENT_KEY": key])
        #expect(outcome.status == .passed, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("oidc: 16 cases: 16 passed, 0 failed, 0 errors, 0 skipped; 0 warnings;"))
        for method in ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"] {
            #expect(outcome.stdout.contains("  PASS  client_credentials with \(method) (200, "), "\(method)")
        }
    }

    /// Each deviation fails the run with the claim, member or section named.
    @Test(arguments: OIDCEndToEndTests.deviations)
    func eachDeviationFailsNamingTheClaimMemberOrSection(deviation: String, finding: String) async {
        let outcome = await runConform([Self.suite]) { $0.mockDeviation = deviation }
        #expect(outcome.status == .failed, "\(deviation)")
        #expect(outcome.stdout.contains(finding), "\(deviation): \(outcome.stdout)")
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    static let deviations: [(String, String)] = [
        ("jwt-alg-none", #"failure [jwt]: access_token: JWT alg "none": an unsigned token is never accepted"#),
        ("jwt-expired", "failure [jwt]: access_token: JWT exp:"),
        ("jwt-lifetime-mismatch", "failure [jwt]: access_token: JWT exp - iat"),
        ("jwt-wrong-iss", #"failure [jwt]: access_token: JWT iss: expected "http://127.0.0.1:"#),
        ("id-token-aud-no-client", #"failure [jwt]: id_token: JWT aud: expected "conform-oidc-client" (${client_id}) or an array containing it, got string "another-client""#),
        ("jwt-no-typ", #"failure [jwt]: access_token: JWT typ: expected "at+jwt", got no typ in the header"#),
        ("jwt-unknown-kid", #"failure [jwt]: access_token: JWT signature (RS256, kid "conform-mock-retired") not verified: kid "conform-mock-retired" is not in the key set"#),
        ("jwt-bad-signature", #"failure [jwt]: access_token: JWT signature (RS256, kid "conform-mock-1") does not verify with the key set http://127.0.0.1:"#),
        ("jwks-private-members", #"failure [jwks]: keys[1] (kid "conform-mock-ec-1"): publishes the private member d (RFC 7517 §9.2, RFC 7518 §6)"#),
        ("issuer-trailing-slash", "only a trailing slash differs"),
        ("auth-method-refused", "  FAIL  client_credentials with client_secret_post (401, "),
        ("grant-not-listed", #"failure [oidc-metadata]: grant_types_supported: lacks "refresh_token", which the suite's cases are served"#),
        ("revocation-ignored", "  FAIL  revoked refresh token is refused (200, "),
        ("revocation-ignored", "failure [field]: active: expected boolean false, got boolean true (RFC 7009 §2, RFC 7662 §2.2)"),
        ("at-hash-mismatch", #"failure [jwt]: id_token: JWT at_hash: expected ""#),
        ("revoked-still-active", "failure [field]: active: expected boolean false, got boolean true (RFC 7009 §2, RFC 7662 §2.2)"),
    ]

    /// A captured value that is no request target is an error of its case, not a skip: the run is not green.
    @Test func aCapturedValueThatIsNoTargetIsAnError() async throws {
        let folder = TestPaths.temporaryDirectory()
        let suite = folder.appendingPathComponent("hostile.json")
        try Data(
            #"""
            {"format": 1, "name": "hostile", "mock": "oidc",
             "variables": {"issuer": {"value": "${env:OIDC_ISSUER}"}},
             "cases": [
              {"name": "discovery", "request": {"method": "GET", "path": "${issuer}/.well-known/openid-configuration"},
               "expect": {"status": 200}, "capture": {"elsewhere": {"field": "response_types_supported[0]"}}},
              {"name": "follow", "request": {"method": "GET", "path": "${elsewhere}"}, "expect": {"status": 200}}
             ]}
            """#.utf8
        ).write(to: suite)
        let outcome = await runConform([suite.path])
        #expect(outcome.status == .failed)
        #expect(
            outcome.stdout.contains(
                #"the request could not be sent: the request target "code" is neither a path starting with '/' nor an http(s) URL"#),
            "\(outcome.stdout)")
        #expect(outcome.stdout.contains("hostile: 2 cases: 1 passed, 0 failed, 1 error, 0 skipped"))
    }
}
