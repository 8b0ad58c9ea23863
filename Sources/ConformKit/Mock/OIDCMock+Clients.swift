import ConformJSON
import Crypto
import Foundation

/// Client authentication at the `oidc` mock's token, revocation and introspection endpoints: the four
/// methods of OpenID Connect Core §9, one at a time.
///
/// - `client_secret_basic` (RFC 6749 §2.3.1): a failure gets 401 with `WWW-Authenticate: Basic`.
/// - `client_secret_post`: `client_id` and `client_secret` in the form.
/// - `client_secret_jwt` (HS256 with the secret) and `private_key_jwt` (ES256 with the test client key of
///   ``OIDCMockKeys/clientKey``): `client_assertion_type` of RFC 7523 §2.2 and an assertion whose `iss` and
///   `sub` are the client id, whose `aud` is the endpoint called, the token endpoint or the issuer, with a
///   `jti` not seen before and an `exp` in the next ``maximumAssertionLifetime`` seconds.
extension OIDCMock {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// How far ahead an assertion's `exp` may be: "short" in RFC 7523 §3 terms.
    static let maximumAssertionLifetime: Double = 600
    static let realm = "conform-mock-oidc"

    func authenticate(_ request: MockRequest, _ form: [String: String], endpoint: String) -> Result<String, Failure> {
        let expectedID = credentials.value("OIDC_CLIENT_ID")
        let expectedSecret = credentials.value("OIDC_CLIENT_SECRET")
        let header = request.headers["Authorization"].first
        let methods = [header != nil, form["client_secret"] != nil, form["client_assertion"] != nil]
        guard methods.filter({ $0 }).count <= 1 else {
            return .failure(
                Failure(response: error(.badRequest, "invalid_request", "use one client authentication method")))
        }
        let refused = Failure(
            response: error(
                .unauthorized, "invalid_client", "client authentication failed",
                headers: [("WWW-Authenticate", "Basic realm=\"\(Self.realm)\"")]))
        if let header {
            guard let (id, secret) = OAuth2Mock.basicCredentials(header), id == expectedID, secret == expectedSecret
            else { return .failure(refused) }
            return .success(id)
        }
        if let secret = form["client_secret"] {
            guard deviation != .authMethodRefused, form["client_id"] == expectedID, secret == expectedSecret else {
                return .failure(refused)
            }
            return .success(expectedID)
        }
        if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == Self.assertionType else {
                return .failure(
                    Failure(
                        response: error(
                            .badRequest, "invalid_request", "client_assertion_type must be \(Self.assertionType)")))
            }
            if let problem = assertionProblem(
                assertion, clientID: expectedID, secret: expectedSecret, endpoint: endpoint)
            {
                return .failure(
                    Failure(
                        response: error(
                            .unauthorized, "invalid_client", "client assertion refused: \(problem)",
                            headers: [("WWW-Authenticate", "Basic realm=\"\(Self.realm)\"")])))
            }
            return .success(expectedID)
        }
        return .failure(refused)
    }

    /// Why an assertion is refused (RFC 7523 §3), or `nil` when it authenticates the client.
    func assertionProblem(_ text: String, clientID: String, secret: String, endpoint: String) -> String? {
        guard let token = try? JSONWebToken.decode(text) else { return "not a JWS" }
        let material: JSONWebKey.Material
        switch token.algorithm {
        case "HS256": material = .secret(SymmetricKey(data: Data(secret.utf8)))
        case "ES256":
            guard let key = OIDCMockKeys.clientKey?.publicKey else { return "the client key is missing" }
            material = .p256(key)
        default: return "alg \(JSONValue.quoted(token.algorithm)) is not HS256 or ES256"
        }
        guard let algorithm = JWTAlgorithm(rawValue: token.algorithm),
            algorithm.verify(token.signature, over: token.signingInput, with: material)
        else { return "the signature does not verify" }
        guard token.claims["iss"] == .string(clientID), token.claims["sub"] == .string(clientID) else {
            return "iss and sub must be the client id"
        }
        let issuer = Self.issuerPart(of: endpoint)
        let audiences = [endpoint, issuer + Self.tokenPath, issuer]
        guard audiences.contains(where: { JWTCheck.audienceContains(token.claims["aud"], $0) }) else {
            return "aud must be the token endpoint"
        }
        let now = self.now().timeIntervalSince1970
        guard let exp = token.numericDate("exp"), exp > now, exp - now <= Self.maximumAssertionLifetime else {
            return "exp must be within \(Int(Self.maximumAssertionLifetime)) s from now"
        }
        guard case .string(let jti)? = token.claims["jti"], !jti.isEmpty else { return "jti is missing" }
        let fresh = state.withLockedValue { $0.useAssertionID(jti, expires: exp, now: now) }
        return fresh ? nil : "jti \(JSONValue.quoted(jti)) was used before"
    }

    /// `http://HOST` of an endpoint URL the mock formed itself.
    static func issuerPart(of endpoint: String) -> String {
        for path in [tokenPath, revocationPath, introspectionPath] where endpoint.hasSuffix(path) {
            return String(endpoint.dropLast(path.count))
        }
        return endpoint
    }
}
