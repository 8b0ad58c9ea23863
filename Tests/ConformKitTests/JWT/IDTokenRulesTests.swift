@testable import ConformSupport
@testable import ConformJSON
import Crypto
import Foundation
import Testing

@testable import ConformKit

/// `at_hash` and `azp` in a `jwt` expectation (OpenID Connect Core §3.1.3.7, §3.1.3.8, §3.2.2.9): the ID
/// token of a token response judged against the access token beside it and the client.
@Suite(.temporaryDirectories) struct IDTokenRulesTests {
    /// An access token and its at_hash with a SHA-256 algorithm, computed here with swift-crypto.
    static let specAccessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNh2e"
    static let specHash = Base64URL.encode(Data(Array(SHA256.hash(data: Data(specAccessToken.utf8))).prefix(16)))

    static func idCheck(azp: String? = nil, atHash: Bool = true) -> JWTCheck {
        var expectation = JWTFixtures.expectation {
            $0.checksTimes = false
            if atHash { $0.accessTokenHashField = FieldPath("access_token") }
            if azp != nil { $0.authorizedParty = Template(literal: "app") }
        }
        expectation.location = SourceLocation(line: 1, column: 1)
        var check = JWTCheck(path: FieldPath("id_token")!, expectation: expectation)
        check.authorizedParty = azp
        check.now = { JWTFixtures.now }
        return check
    }

    static func body(_ idToken: String, accessToken: String = specAccessToken) -> String {
        #"{"access_token": "\#(accessToken)", "token_type": "Bearer", "id_token": "\#(idToken)"}"#
    }

    @Test func theHashIsTheLeftHalfOfTheAlgorithmsHash() {
        #expect(Self.specHash == "7pYE0_EJwX55W-waSUt0pA")
        #expect(JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "RS256")?.0 == Self.specHash)
        #expect(JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "ES256")?.1 == "SHA-256")
        let sha384 = Array(SHA384.hash(data: Data(Self.specAccessToken.utf8)))
        #expect(JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "PS384")?.0 == Base64URL.encode(Data(sha384.prefix(24))))
        let sha512 = Array(SHA512.hash(data: Data(Self.specAccessToken.utf8)))
        #expect(JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "EdDSA")?.0 == Base64URL.encode(Data(sha512.prefix(32))))
        #expect(JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "none") == nil)
    }

    @Test func atHashMatchesTheAccessTokenOfTheResponse() {
        let good = JWTFixtures.token("RS256", claims: ["at_hash": .string(Self.specHash)])
        #expect(messages(Self.idCheck(), response(body: Self.body(good))).isEmpty)
        let es384 = JWTFixtures.token("ES384", claims: ["at_hash": .string(Self.specHash)])
        let other = JWTCheck.accessTokenHash(Self.specAccessToken, algorithm: "ES384")!.0
        #expect(
            messages(Self.idCheck(), response(body: Self.body(es384))) == [
                #"failure: id_token: JWT at_hash: expected "\#(other)" (the left half of SHA-384 of access_token, base64url), got string "7pYE0_EJwX55W-waSUt0pA" (OpenID Connect Core §3.2.2.9)"#
            ])
        #expect(
            messages(Self.idCheck(), response(body: Self.body(good, accessToken: "another-token"))).first?
                .contains("got string \"7pYE0_EJwX55W-waSUt0pA\"") == true)
        let none = JWTFixtures.token("RS256", claims: [:])
        #expect(
            messages(Self.idCheck(), response(body: Self.body(none))) == [
                #"failure: id_token: JWT at_hash: expected "7pYE0_EJwX55W-waSUt0pA" (the left half of SHA-256 of access_token, base64url), got nothing (no such claim) (OpenID Connect Core §3.2.2.9)"#
            ])
        #expect(
            messages(Self.idCheck(), response(body: #"{"id_token": "\#(good)"}"#)) == [
                "failure: id_token: JWT at_hash: cannot be checked: the response has no string field access_token"
            ])
    }

    @Test func azpIsRequiredWithSeveralAudiencesAndEqualWhenPresent() {
        let check = Self.idCheck(azp: "app", atHash: false)
        let several = JSONValue.array([.string("app"), .string("api")])
        let cases: [([String: JSONValue], [String])] = [
            (["aud": .string("app")], []),
            (["aud": several, "azp": .string("app")], []),
            (["aud": .array([.string("app")])], []),
            (
                ["aud": several],
                [
                    #"failure: id_token: JWT azp: expected "app" since aud names 2 audiences, got nothing (no such claim) (OpenID Connect Core §3.1.3.7)"#
                ]
            ),
            (
                ["aud": .string("app"), "azp": .string("other")],
                [#"failure: id_token: JWT azp: expected "app", got string "other" (OpenID Connect Core §3.1.3.7)"#]
            ),
        ]
        for (claims, expected) in cases {
            let token = JWTFixtures.token("RS256", claims: claims)
            #expect(messages(check, response(body: Self.body(token))) == expected, "\(claims)")
        }
    }

    @Test func theSuiteSpellsThemAndRefusesABadPath() throws {
        let text = """
            { "format": 1, "name": "s", "mock": "pitchpoint",
              "variables": { "client_id": { "value": "app" } },
              "cases": [ { "name": "a", "request": { "method": "GET", "path": "/" },
                           "expect": { "status": 200,
                                       "fields": { "id_token": { "jwt": { "at_hash": "access_token", "azp": "${client_id}" } } } } } ] }
            """
        let suite = try TestPaths.loadSuite(text)
        let values = VariableResolver.resolve(suite, environment: [:], overrides: [:])
        let checks = CheckRegistry.checks(for: suite.cases[0].expect, body: nil, values: values)
        let check = try #require(checks.compactMap { $0 as? JWTCheck }.first)
        #expect(check.authorizedParty == "app")
        #expect(check.expectation.accessTokenHashField == FieldPath("access_token"))
        #expect(
            TestPaths.suiteDiagnostics(text.replacingOccurrences(of: #""at_hash": "access_token""#, with: #""at_hash": "a..b""#))
                == [#"suite.json:5:74: error: 'at_hash' in rule 'jwt' for field 'id_token': 'a..b' is not a field path such as "access_token""#])
    }
}
