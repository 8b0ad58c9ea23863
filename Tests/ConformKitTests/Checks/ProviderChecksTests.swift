@testable import ConformSupport
@testable import ConformJSON
import Foundation
import Testing

@testable import ConformKit

/// `jwks` and `oidc_metadata`: the exact messages, on the mock's own documents and on hostile ones.
@Suite struct ProviderChecksTests {
    static let location = SourceLocation(line: 1, column: 1)

    static func keySet(_ body: String, minimum: Int = 1) -> [String] {
        var expectation = KeySetExpectation(location: location)
        expectation.minimumKeys = minimum
        return messages(KeySetCheck(expectation: expectation), response(body: body))
    }

    static var mockKeySet: String {
        String(decoding: OIDCMockKeys.keySet(privateMembers: false).encoded(), as: UTF8.self)
    }

    @Test func theMocksKeySetHolds() {
        #expect(Self.keySet(Self.mockKeySet) == [])
    }

    @Test func privateMembersAreNamed() {
        let leaked = String(decoding: OIDCMockKeys.keySet(privateMembers: true).encoded(), as: UTF8.self)
        #expect(
            Self.keySet(leaked) == [
                #"failure: keys[1] (kid "conform-mock-ec-1"): publishes the private member d (RFC 7517 §9.2, RFC 7518 §6): a key set at jwks_uri is public, and these let anyone sign as the issuer"#
            ])
        #expect(
            Self.keySet(
                #"{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}, {"kty": "RSA", "n": "x", "e": "AQAB", "p": "x", "q": "y", "dp": "z"}]}"#
            ) == [
                #"failure: keys[0] (kid "h"): publishes the private member k (RFC 7517 §9.2, RFC 7518 §6): a key set at jwks_uri is public, and these let anyone sign as the issuer"#,
                "failure: keys[1]: publishes the private members p, q, dp (RFC 7517 §9.2, RFC 7518 §6): a key set at jwks_uri is public, and these let anyone sign as the issuer",
            ])
    }

    @Test func duplicateKidsIncoherentAlgAndUseAndUnreadableKeysAreNamed() throws {
        guard case .object(let set) = OIDCMockKeys.keySet(privateMembers: false), case .array(let keys)? = set["keys"],
            case .object(var rsa) = keys[0], case .object(var ec) = keys[1]
        else { throw Failure("no keys") }
        ec["kid"] = rsa["kid"]
        rsa["alg"] = .string("ES256")
        var encryption = ec
        encryption["kid"] = .string("e")
        encryption["use"] = .string("enc")
        var odd = ec
        odd["kid"] = .string("o")
        odd["use"] = .string("sign")
        let body = JSONValue.object([
            "keys": .array([
                .object(rsa), .object(ec), .object(encryption), .object(odd), .string("x"),
                .object(["kty": .string("EC"), "crv": .string("P-256"), "x": .string("AA"), "y": .string("AA")]),
            ])
        ]).encoded()
        #expect(
            Self.keySet(String(decoding: body, as: UTF8.self)) == [
                #"failure: keys[0] (kid "conform-mock-1"): alg ES256 needs an EC key on P-256, but the key is an RSA key"#,
                #"failure: keys[1] (kid "conform-mock-1"): the kid of keys[0] too; keys of one set need distinct kids (RFC 7517 §4.5), or a token's kid names no single key"#,
                #"failure: keys[2] (kid "e"): alg ES256 is a signature algorithm, but use is "enc""#,
                #"failure: keys[3] (kid "o"): use "sign" is neither "sig" nor "enc" (RFC 7517 §4.2)"#,
                "failure: keys[4]: is a string, not a JWK object",
                "failure: keys[5]: cannot be read: a key is not a point on P-256",
            ])
    }

    @Test func notAKeySetOrTooFewKeys() {
        #expect(
            Self.keySet(#"{"kty": "RSA"}"#) == [
                #"failure: body: expected a JWK Set (an object with a "keys" array, RFC 7517 §5)"#
            ])
        #expect(Self.keySet(#"{"keys": []}"#) == ["failure: keys: expected at least 1, got 0"])
        #expect(Self.keySet(#"{"keys": []}"#, minimum: 0) == [])
    }

    // MARK: oidc_metadata

    static func metadata(
        _ body: [String: JSONValue], issuer: String? = "http://127.0.0.1:4444",
        profile: ProviderMetadataExpectation.Profile = .openid, grants: [String] = []
    ) -> [String] {
        var expectation = ProviderMetadataExpectation(location: location)
        expectation.profile = profile
        expectation.grantsServed = grants
        let check = ProviderMetadataCheck(expectation: expectation, issuer: issuer)
        return messages(check, response(body: String(decoding: JSONValue.object(body).encoded(), as: UTF8.self)))
    }

    static var mockMetadata: [String: JSONValue] {
        guard case .object(let members) = OIDCMockTests.mock().metadata(issuer: "http://127.0.0.1:4444") else {
            return [:]
        }
        return members
    }

    @Test func theMocksMetadataHolds() {
        #expect(Self.metadata(Self.mockMetadata, grants: ["client_credentials", "refresh_token"]) == [])
        #expect(Self.metadata(Self.mockMetadata, profile: .rfc8414) == [])
    }

    @Test func aTrailingSlashIsNamedAsTheOnlyDifference() {
        var body = Self.mockMetadata
        body["issuer"] = .string("http://127.0.0.1:4444/")
        #expect(
            Self.metadata(body) == [
                #"failure: issuer: expected "http://127.0.0.1:4444", got "http://127.0.0.1:4444/": it must be exactly the issuer the document was fetched for (OpenID Connect Discovery 1.0 §4.3, RFC 8414 §3.3); only a trailing slash differs"#
            ])
    }

    @Test func missingMembersHttpOutsideLoopbackAndUnlistedGrants() {
        var body = Self.mockMetadata
        body["jwks_uri"] = nil
        body["subject_types_supported"] = nil
        body["issuer"] = .string("http://idp.example.com")
        body["token_endpoint"] = .string("http://idp.example.com/token")
        body["revocation_endpoint"] = .string("javascript:alert(1)")
        body["introspection_endpoint"] = .number(3)
        body["grant_types_supported"] = .array([.string("client_credentials")])
        body["id_token_signing_alg_values_supported"] = .array([.string("ES256")])
        body["scopes_supported"] = .string("openid")
        #expect(
            Self.metadata(body, issuer: "http://idp.example.com", grants: ["refresh_token"]) == [
                "failure: lacks required members jwks_uri, subject_types_supported (OpenID Connect Discovery 1.0 §3)",
                #"failure: introspection_endpoint: expected a URL string, got number 3"#,
                #"failure: issuer: "http://idp.example.com" is not https (OpenID Connect Discovery 1.0 §3, RFC 8414 §2; conform allows http on loopback only)"#,
                #"failure: revocation_endpoint: "javascript:alert(1)" is not an absolute URL"#,
                #"failure: token_endpoint: "http://idp.example.com/token" is not https (OpenID Connect Discovery 1.0 §3, RFC 8414 §2; conform allows http on loopback only)"#,
                #"failure: scopes_supported: expected a JSON array of strings, got string "openid""#,
                "failure: id_token_signing_alg_values_supported: lacks RS256, which OpenID Connect Discovery 1.0 §3 requires",
                #"failure: grant_types_supported: lacks "refresh_token", which the suite's cases are served"#,
            ])
    }

    @Test func rfc8414NeedsNoAuthorizationEndpointWithoutGrantsThatUseIt() {
        let body: [String: JSONValue] = [
            "issuer": .string("https://as.example.com"), "response_types_supported": .array([.string("token")]),
            "grant_types_supported": .array([.string("client_credentials")]),
        ]
        #expect(Self.metadata(body, issuer: "https://as.example.com", profile: .rfc8414) == [])
        var implicit = body
        implicit["grant_types_supported"] = nil
        #expect(
            Self.metadata(implicit, issuer: "https://as.example.com", profile: .rfc8414) == [
                "failure: lacks required member authorization_endpoint (RFC 8414 §2)"
            ])
        #expect(
            Self.metadata(body, issuer: "https://as.example.com", grants: ["client_credentials"]) == [
                "failure: lacks required members authorization_endpoint, token_endpoint, jwks_uri, subject_types_supported, id_token_signing_alg_values_supported (OpenID Connect Discovery 1.0 §3)"
            ])
    }
}
