@testable import ConformJSON
@testable import ConformHTTP
import Crypto
import Foundation
import NIOHTTP1
import Testing

@testable import ConformKit

/// The `oidc` mock as a provider: its discovery document, its key set, the four client authentication
/// methods, RFC 9068 access tokens and ID tokens with `at_hash`, rotation, revocation and introspection.
@Suite struct OIDCMockTests {
    static let host = "127.0.0.1:4444"
    static let issuer = "http://127.0.0.1:4444"

    static func mock(_ deviation: String? = nil) -> OIDCMock {
        var configuration = MockConfiguration(deviation: deviation)
        configuration.now = MockDeterminismTests.early
        return OIDCMock(configuration: configuration)
    }

    /// A form POST authenticated with client_secret_basic (or with `headers` given instead).
    static func post(
        _ path: String, _ form: String, _ credentials: MockCredentials, secret: String? = nil,
        headers: [(String, String)]? = nil
    ) -> MockRequest {
        let basic = ClientAuthentication.basicCredentials(
            id: credentials.value("OIDC_CLIENT_ID"), secret: secret ?? credentials.value("OIDC_CLIENT_SECRET"))
        let all =
            [("Content-Type", "application/x-www-form-urlencoded"), ("Host", host)]
            + (headers ?? [("Authorization", "Basic \(basic)")])
        return MockRequest(method: "POST", path: path, query: [:], headers: HTTPHeaders(all), body: Data(form.utf8))
    }

    static func get(_ path: String) -> MockRequest {
        MockRequest(method: "GET", path: path, query: [:], headers: HTTPHeaders([("Host", host)]), body: Data())
    }

    /// The status and JSON body of an answer.
    static func answer(_ response: MockResponse) -> (UInt, [String: JSONValue]) {
        guard case .full(let status, _, let body, _) = response else { return (0, [:]) }
        guard case .object(let fields)? = JSONValue.decode(body) else { return (status.code, [:]) }
        return (status.code, fields)
    }

    static func string(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { return text }
        return ""
    }

    @Test func discoveryNamesTheIssuerItWasReachedAtAndEveryEndpoint() {
        let (status, metadata) = Self.answer(Self.mock().respond(to: Self.get(OIDCMock.discoveryPath)))
        #expect(status == 200)
        #expect(metadata["issuer"] == .string(Self.issuer))
        #expect(metadata["token_endpoint"] == .string(Self.issuer + "/token"))
        #expect(metadata["jwks_uri"] == .string(Self.issuer + "/jwks"))
        #expect(
            metadata["token_endpoint_auth_methods_supported"]
                == .array(OIDCMock.clientAuthMethods.map { .string($0) }))
        #expect(metadata["grant_types_supported"] == .array([.string("client_credentials"), .string("refresh_token")]))
        let (_, rfc8414) = Self.answer(Self.mock().respond(to: Self.get(OIDCMock.metadataPath)))
        #expect(rfc8414 == metadata)
        let (_, slashed) = Self.answer(Self.mock("issuer-trailing-slash").respond(to: Self.get(OIDCMock.discoveryPath)))
        #expect(slashed["issuer"] == .string(Self.issuer + "/"))
        let (_, unlisted) = Self.answer(Self.mock("grant-not-listed").respond(to: Self.get(OIDCMock.discoveryPath)))
        #expect(unlisted["grant_types_supported"] == .array([.string("client_credentials")]))
    }

    @Test func theKeySetHoldsAnRSAAndAnECKeyAndOnlyTheDeviationLeaksD() throws {
        guard case .full(.ok, _, let body, _) = Self.mock().respond(to: Self.get(OIDCMock.keySetPath)) else {
            throw Failure("no key set")
        }
        let set = try JSONWebKeySet.parse(body)
        #expect(set.keys.map(\.keyID) == ["conform-mock-1", "conform-mock-ec-1"])
        #expect(set.keys.map(\.material.kind.description) == ["an RSA key", "an EC key on P-256"])
        #expect(!String(decoding: body, as: UTF8.self).contains("\"d\""))
        guard case .full(.ok, _, let leaked, _) = Self.mock("jwks-private-members").respond(to: Self.get("/jwks"))
        else {
            throw Failure("no key set")
        }
        #expect(String(decoding: leaked, as: UTF8.self).contains("\"d\":"))
    }

    @Test func clientCredentialsIssuesAnRFC9068AccessTokenVerifiedByTheKeySet() throws {
        let mock = Self.mock()
        let (status, body) = Self.answer(
            mock.respond(to: Self.post(OIDCMock.tokenPath, "grant_type=client_credentials", mock.credentials)))
        #expect(status == 200)
        #expect(body["expires_in"] == .number(3600))
        #expect(body["scope"] == .string("api"))
        #expect(body["refresh_token"] == nil && body["id_token"] == nil)
        let token = try JSONWebToken.decode(Self.string(body["access_token"]))
        #expect(token.header == ["alg": .string("RS256"), "typ": .string("at+jwt"), "kid": .string("conform-mock-1")])
        let now = MockDeterminismTests.early().timeIntervalSince1970
        #expect(
            token.claims == [
                "iss": .string(Self.issuer), "sub": .string("conform-oidc-client"), "aud": .string("conform-mock-api"),
                "client_id": .string("conform-oidc-client"), "iat": .number(now), "exp": .number(now + 3600),
                "jti": .string("at-1"), "scope": .string("api"),
            ])
        let set = try JSONWebKeySet.read(OIDCMockKeys.keySet(privateMembers: false))
        let key = try #require(set.keys.first { $0.keyID == "conform-mock-1" })
        #expect(JWTAlgorithm.rs256.verify(token.signature, over: token.signingInput, with: key.material))
    }

    @Test func refreshRotatesAndReturnsAnIDTokenWithAtHash() throws {
        let mock = Self.mock()
        let first = mock.credentials.value("OIDC_REFRESH_TOKEN")
        let (status, body) = Self.answer(
            mock.respond(
                to: Self.post(OIDCMock.tokenPath, "grant_type=refresh_token&refresh_token=\(first)", mock.credentials)))
        #expect(status == 200)
        let accessToken = Self.string(body["access_token"])
        let idToken = try JSONWebToken.decode(Self.string(body["id_token"]))
        #expect(idToken.header["alg"] == .string("ES256"))
        #expect(idToken.claims["aud"] == .string("conform-oidc-client"))
        let digest = SHA256.hash(data: Data(accessToken.utf8))
        #expect(idToken.claims["at_hash"] == .string(Base64URL.encode(Data(digest.prefix(16)))))
        let ec = try #require(OIDCMockKeys.ecKey?.publicKey)
        #expect(JWTAlgorithm.es256.verify(idToken.signature, over: idToken.signingInput, with: .p256(ec)))
        // The used token stops working; the rotated one works.
        let (reused, error) = Self.answer(
            mock.respond(
                to: Self.post(OIDCMock.tokenPath, "grant_type=refresh_token&refresh_token=\(first)", mock.credentials)))
        #expect(reused == 400 && error["error"] == .string("invalid_grant"))
        let next = Self.string(body["refresh_token"])
        #expect(next != first && next.hasPrefix("rt-"))
        let (again, _) = Self.answer(
            mock.respond(
                to: Self.post(OIDCMock.tokenPath, "grant_type=refresh_token&refresh_token=\(next)", mock.credentials)))
        #expect(again == 200)
        let flawed = Self.mock("at-hash-mismatch")
        let (_, mismatched) = Self.answer(
            flawed.respond(
                to: Self.post(
                    OIDCMock.tokenPath,
                    "grant_type=refresh_token&refresh_token=\(flawed.credentials.value("OIDC_REFRESH_TOKEN"))",
                    flawed.credentials)))
        let flawedID = try JSONWebToken.decode(Self.string(mismatched["id_token"]))
        #expect(flawedID.claims["at_hash"] == .string(OIDCMock.leftHalfHash("a different access token")))
        #expect(flawedID.claims["at_hash"] != .string(OIDCMock.leftHalfHash(Self.string(mismatched["access_token"]))))
    }

    /// An assertion for `client_secret_jwt` (HS256) or `private_key_jwt` (ES256).
    static func assertion(
        _ mock: OIDCMock, alg: String, aud: String = issuer + "/token", jti: String = "a-1", lifetime: Double = 60,
        issuer claimedIssuer: String? = nil
    ) -> String {
        let id = mock.credentials.value("OIDC_CLIENT_ID")
        let now = MockDeterminismTests.early().timeIntervalSince1970
        let header = Base64URL.encode(JSONValue.object(["alg": .string(alg), "typ": .string("JWT")]).encoded())
        let claims = Base64URL.encode(
            JSONValue.object([
                "iss": .string(claimedIssuer ?? id), "sub": .string(id), "aud": .string(aud), "jti": .string(jti),
                "exp": .number(now + lifetime), "iat": .number(now),
            ]).encoded())
        let input = Data("\(header).\(claims)".utf8)
        let signature: Data
        if alg == "HS256" {
            let key = SymmetricKey(data: Data(mock.credentials.value("OIDC_CLIENT_SECRET").utf8))
            signature = Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
        } else {
            signature = (try? OIDCMockKeys.clientKey?.signature(for: input))?.rawRepresentation ?? Data()
        }
        return "\(header).\(claims).\(Base64URL.encode(signature))"
    }

    static func assertionForm(_ assertion: String) -> String {
        "grant_type=client_credentials&client_assertion_type="
            + ClientAuthentication.formEncoded(OIDCMock.assertionType) + "&client_assertion=" + assertion
    }

    @Test func everyClientAuthenticationMethodWorksAndBadAssertionsAreRefused() {
        let mock = Self.mock()
        let id = mock.credentials.value("OIDC_CLIENT_ID")
        let secret = mock.credentials.value("OIDC_CLIENT_SECRET")
        func status(_ form: String, headers: [(String, String)] = []) -> (UInt, String) {
            let (code, body) = Self.answer(
                mock.respond(to: Self.post(OIDCMock.tokenPath, form, mock.credentials, headers: headers)))
            return (code, Self.string(body["error_description"]))
        }
        #expect(status("grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)").0 == 200)
        #expect(status(Self.assertionForm(Self.assertion(mock, alg: "HS256"))).0 == 200)
        #expect(status(Self.assertionForm(Self.assertion(mock, alg: "ES256", jti: "a-2"))).0 == 200)
        #expect(
            status(Self.assertionForm(Self.assertion(mock, alg: "ES256", jti: "a-2")))
                == (401, "client assertion refused: jti \"a-2\" was used before"))
        #expect(
            status(Self.assertionForm(Self.assertion(mock, alg: "ES256", aud: "https://elsewhere", jti: "a-3")))
                == (401, "client assertion refused: aud must be the token endpoint"))
        #expect(
            status(Self.assertionForm(Self.assertion(mock, alg: "HS256", jti: "a-4", lifetime: 3600)))
                == (401, "client assertion refused: exp must be within 600 s from now"))
        #expect(
            status(Self.assertionForm(Self.assertion(mock, alg: "HS256", jti: "a-5", issuer: "someone")))
                == (401, "client assertion refused: iss and sub must be the client id"))
        let forged = Self.assertion(mock, alg: "HS256", jti: "a-6").dropLast(2) + "AA"
        #expect(
            status(Self.assertionForm(String(forged))) == (
                401, "client assertion refused: the signature does not verify"
            ))
        #expect(status("grant_type=client_credentials&client_id=\(id)").0 == 401)
        let refusing = Self.mock("auth-method-refused")
        let (refused, _) = Self.answer(
            refusing.respond(
                to: Self.post(
                    OIDCMock.tokenPath,
                    "grant_type=client_credentials&client_id=\(id)&client_secret=\(refusing.credentials.value("OIDC_CLIENT_SECRET"))",
                    refusing.credentials, headers: [])))
        #expect(refused == 401)
    }

    @Test(
        arguments: [
            (nil, true, false), ("revocation-ignored", true, true), ("revoked-still-active", true, true),
        ] as [(String?, Bool, Bool)])
    func revokedTokensAreNoLongerActive(deviation: String?, activeBefore: Bool, activeAfter: Bool) {
        let mock = Self.mock(deviation)
        let (_, issued) = Self.answer(
            mock.respond(to: Self.post(OIDCMock.tokenPath, "grant_type=client_credentials", mock.credentials)))
        let token = Self.string(issued["access_token"])
        func active() -> JSONValue? {
            Self.answer(mock.respond(to: Self.post(OIDCMock.introspectionPath, "token=\(token)", mock.credentials)))
                .1["active"]
        }
        #expect(active() == .bool(activeBefore))
        let revoked = mock.respond(to: Self.post(OIDCMock.revocationPath, "token=\(token)", mock.credentials))
        #expect(Self.answer(revoked).0 == 200)
        #expect(active() == .bool(activeAfter))
        let unknown = mock.respond(to: Self.post(OIDCMock.revocationPath, "token=never-issued", mock.credentials))
        #expect(Self.answer(unknown).0 == 200)
        #expect(
            Self.answer(mock.respond(to: Self.post(OIDCMock.introspectionPath, "token=never-issued", mock.credentials)))
                .1 == ["active": .bool(false)])
    }

    @Test func theIssuerCredentialIsTheMocksBaseURLOnceItListens() throws {
        let base = try #require(URL(string: "http://127.0.0.1:5555"))
        let resolved = Self.mock().credentials.resolvingBaseURL(base)
        #expect(resolved.value("OIDC_ISSUER") == "http://127.0.0.1:5555")
        #expect(MockCredentials.resolvingBaseURL("http://conform-mock.invalid/x", base) == "http://127.0.0.1:5555/x")
        #expect(MockCredentials.resolvingBaseURL("https://idp.example.com", base) == "https://idp.example.com")
    }
}
