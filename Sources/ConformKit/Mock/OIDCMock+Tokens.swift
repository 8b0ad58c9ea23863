import ConformJSON
import Crypto
import Foundation

/// The `oidc` mock's grants and the tokens they issue: RFC 9068 access tokens (RS256, `typ: at+jwt`) and, when
/// the grant holds `openid`, ID tokens (ES256) with `at_hash`. The deviations bend exactly one claim or header.
extension OIDCMock {
    func token(_ form: [String: String], client: String, issuer: String) -> MockResponse {
        switch form["grant_type"] {
        case "client_credentials"?:
            var scopes = Set((form["scope"] ?? "api").split(separator: " ").map(String.init))
            guard !scopes.isEmpty, scopes.isSubset(of: Self.scopes) else {
                return error(.badRequest, "invalid_scope", "the requested scope is not allowed")
            }
            // No end user, so no ID token: `openid` means nothing to this grant and is not granted.
            scopes.remove("openid")
            let scope = scopes.isEmpty ? "api" : scopes.sorted().joined(separator: " ")
            return issue(Grant(client: client, scope: scope, subject: client), refreshToken: nil, issuer: issuer)
        case "refresh_token"?:
            return refresh(form, client: client, issuer: issuer)
        case nil, ""?:
            return error(.badRequest, "invalid_request", "grant_type is missing")
        default:
            return error(.badRequest, "unsupported_grant_type", "the grant type is not supported")
        }
    }

    typealias Grant = OIDCMockState.Grant

    /// RFC 6749 §6: the refresh token is rotated; the one used stops working.
    private func refresh(_ form: [String: String], client: String, issuer: String) -> MockResponse {
        guard let presented = form["refresh_token"], !presented.isEmpty else {
            return error(.badRequest, "invalid_request", "refresh_token is missing")
        }
        let next = MockTokens.random(40, prefix: "rt-")
        let outcome = state.withLockedValue { state -> Result<Grant, Failure> in
            guard var grant = state.refreshTokens[presented], grant.client == client else {
                return .failure(
                    Failure(response: error(.badRequest, "invalid_grant", "the refresh token is not valid")))
            }
            if let requested = form["scope"] {
                let scopes = Set(requested.split(separator: " ").map(String.init))
                guard !scopes.isEmpty, scopes.isSubset(of: Set(grant.scope.split(separator: " ").map(String.init)))
                else {
                    return .failure(
                        Failure(response: error(.badRequest, "invalid_scope", "more scope than the grant holds")))
                }
                grant.scope = requested
            }
            state.refreshTokens[presented] = nil
            if state.refreshTokens.count < OIDCMockState.capacity { state.refreshTokens[next] = grant }
            return .success(grant)
        }
        switch outcome {
        case .success(let grant): return issue(grant, refreshToken: next, issuer: issuer)
        case .failure(let failure): return failure.response
        }
    }

    /// A token response (RFC 6749 §5.1) with a JWT access token and, for `openid`, an ID token.
    private func issue(_ grant: Grant, refreshToken: String?, issuer: String) -> MockResponse {
        let date = now()
        var issued = Int(date.timeIntervalSince1970)
        var expires = issued + Self.lifetime
        switch deviation {
        case .jwtExpired?:
            issued -= 2 * Self.lifetime
            expires = issued + Self.lifetime
        case .jwtLifetimeMismatch?:
            expires = issued + 4
        default: break
        }
        let (accessJTI, idJTI) = state.withLockedValue { ($0.nextID("at"), $0.nextID("id")) }
        var header: [String: JSONValue] = [
            "alg": .string(deviation == .jwtAlgNone ? "none" : "RS256"), "typ": .string("at+jwt"),
            "kid": .string(deviation == .jwtUnknownKid ? "conform-mock-retired" : MockSigningKey.keyID),
        ]
        if deviation == .jwtNoType { header["typ"] = nil }
        let claims: [String: JSONValue] = [
            "iss": .string(deviation == .jwtWrongIssuer ? "https://issuer.example.com" : issuer),
            "sub": .string(grant.subject), "aud": .string("conform-mock-api"), "client_id": .string(grant.client),
            "iat": .number(Double(issued)), "exp": .number(Double(expires)), "jti": .string(accessJTI),
            "scope": .string(grant.scope),
        ]
        let accessToken = Self.sign(header: header, claims: claims, flipSignature: deviation == .jwtBadSignature)
        state.withLockedValue {
            $0.remember(
                accessToken, .init(grant: grant, issuedAt: issued, expires: expires, jti: accessJTI),
                now: Int(date.timeIntervalSince1970))
        }
        var body: [String: JSONValue] = [
            "access_token": .string(accessToken), "token_type": .string("Bearer"),
            "expires_in": .number(Double(Self.lifetime)), "scope": .string(grant.scope),
        ]
        if let refreshToken { body["refresh_token"] = .string(refreshToken) }
        if grant.scope.split(separator: " ").contains("openid") {
            let hashed = deviation == .atHashMismatch ? "a different access token" : accessToken
            let now = Int(date.timeIntervalSince1970)
            let idClaims: [String: JSONValue] = [
                "iss": .string(issuer), "sub": .string(grant.subject),
                "aud": .string(deviation == .idTokenAudience ? "another-client" : grant.client),
                "iat": .number(Double(now)), "exp": .number(Double(now + Self.lifetime)), "jti": .string(idJTI),
                "at_hash": .string(Self.leftHalfHash(hashed)),
            ]
            let idHeader: [String: JSONValue] = [
                "alg": .string("ES256"), "typ": .string("JWT"), "kid": .string(OIDCMockKeys.ecKeyID),
            ]
            body["id_token"] = .string(Self.sign(header: idHeader, claims: idClaims, flipSignature: false))
        }
        return json(
            .ok, .object(body),
            headers: [("Cache-Control", "no-store"), ("Pragma", "no-cache"), ("Date", HTTPDate.format(date))])
    }

    /// `at_hash` for ES256/RS256 (OpenID Connect Core §3.1.3.6): the left half of SHA-256 of the token.
    static func leftHalfHash(_ token: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(token.utf8)).prefix(16)))
    }

    /// A JWS over the header and claims, signed as the header's `alg` says (RS256, ES256, or none).
    static func sign(header: [String: JSONValue], claims: [String: JSONValue], flipSignature: Bool) -> String {
        let input =
            Base64URL.encode(JSONValue.object(header).encoded()) + "."
            + Base64URL.encode(JSONValue.object(claims).encoded())
        var signature: Data
        switch header["alg"] {
        case .string("RS256")?: signature = MockSigningKey.sign(Data(input.utf8))
        case .string("ES256")?: signature = OIDCMockKeys.signES256(Data(input.utf8))
        default: return input + "."
        }
        if flipSignature, !signature.isEmpty { signature[signature.startIndex] ^= 0x01 }
        return input + "." + Base64URL.encode(signature)
    }

    // MARK: Revocation (RFC 7009) and introspection (RFC 7662)

    /// RFC 7009 §2.2: 200 whether or not the token was known; a token of another client is left alone.
    func revoke(_ form: [String: String], client: String) -> MockResponse {
        guard let token = form["token"], !token.isEmpty else {
            return error(.badRequest, "invalid_request", "token is missing")
        }
        if deviation != .revocationIgnored {
            state.withLockedValue { state in
                if state.refreshTokens[token]?.client == client { state.refreshTokens[token] = nil }
                if state.accessTokens[token]?.grant.client == client { state.accessTokens[token]?.revoked = true }
            }
        }
        return .full(status: .ok, contentType: nil, body: Data(), extraHeaders: [("Cache-Control", "no-store")])
    }

    /// RFC 7662 §2.2: `active` and, for a live token, what it grants.
    func introspect(_ form: [String: String]) -> MockResponse {
        guard let token = form["token"], !token.isEmpty else {
            return error(.badRequest, "invalid_request", "token is missing")
        }
        let now = Int(self.now().timeIntervalSince1970)
        let answer: JSONValue = state.withLockedValue { state in
            if let record = state.accessTokens[token], record.expires > now,
                !record.revoked || deviation == .introspectionActiveAfterRevoke
            {
                return .object([
                    "active": .bool(true), "scope": .string(record.grant.scope),
                    "client_id": .string(record.grant.client), "sub": .string(record.grant.subject),
                    "token_type": .string("Bearer"), "exp": .number(Double(record.expires)),
                    "iat": .number(Double(record.issuedAt)), "jti": .string(record.jti),
                ])
            }
            if let grant = state.refreshTokens[token] {
                return .object([
                    "active": .bool(true), "scope": .string(grant.scope), "client_id": .string(grant.client),
                    "sub": .string(grant.subject), "token_type": .string("refresh_token"),
                ])
            }
            return .object(["active": .bool(false)])
        }
        return json(.ok, answer, headers: [("Cache-Control", "no-store")])
    }
}
