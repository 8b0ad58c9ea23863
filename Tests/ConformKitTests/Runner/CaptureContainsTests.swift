import Foundation
import Testing

@testable import ConformKit

/// `"contains"` on a capture: a value a response's array lists (a method a discovery document advertises)
/// decides whether the cases that need it run.
@Suite(.temporaryDirectories) struct CaptureContainsTests {
    private static func suite(_ captures: String, _ cases: String = "") -> String {
        TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "s", "mock": "oidc",
              "variables": { "issuer": { "value": "${env:OIDC_ISSUER}" } },
              "cases": [
                { "name": "discovery",
                  "request": { "method": "GET", "path": "${issuer}/.well-known/openid-configuration" },
                  "expect": { "status": 200 },
                  "capture": { \(captures) } }\(cases)
              ]
            }
            """)
    }

    private static let needs = """
        ,
        { "name": "with it", "requires": ["method"],
          "request": { "method": "GET", "path": "${issuer}/.well-known/openid-configuration" },
          "expect": { "status": 200 } }
        """

    @Test func aListedValueIsCapturedAndTheCaseThatNeedsItRuns() async {
        let path = Self.suite(
            #""method": { "field": "token_endpoint_auth_methods_supported", "contains": "private_key_jwt" }"#,
            Self.needs)
        let outcome = await runConform([path])
        #expect(outcome.status == .passed, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("  PASS  with it (200, "))
    }

    @Test func anOptionalValueNotListedSkipsTheCaseThatNeedsItSayingWhy() async {
        let path = Self.suite(
            #""method": { "field": "token_endpoint_auth_methods_supported", "contains": "tls_client_auth", "optional": true }"#,
            Self.needs)
        let outcome = await runConform([path])
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                #"  SKIP  with it: needs ${method}: the response to 'discovery' does not list "tls_client_auth" in token_endpoint_auth_methods_supported (optional there)"#
                    + "\n"), "\(outcome.stdout)")
    }

    @Test func aRequiredValueNotListedIsACaptureFailure() async {
        let path = Self.suite(#""method": { "field": "token_endpoint_auth_methods_supported", "contains": "tls_client_auth" }"#)
        let outcome = await runConform([path])
        #expect(outcome.status == .failed)
        #expect(
            outcome.stdout.contains(
                #"        failure [capture]: method: field token_endpoint_auth_methods_supported does not list "tls_client_auth""#
                    + "\n"), "\(outcome.stdout)")
    }

    @Test func containsNeedsAField() async {
        let path = Self.suite(#""method": { "header": "Content-Type", "contains": "json" }"#)
        let outcome = await runConform([path])
        #expect(outcome.status == .invalid)
        #expect(outcome.stderr.contains(": error: capture 'method': 'contains' needs a 'field' that is an array\n"), "\(outcome.stderr)")
    }
}
