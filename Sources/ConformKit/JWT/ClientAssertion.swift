import ConformJSON
import Foundation

/// A client assertion for `client_secret_jwt` and `private_key_jwt` (RFC 7523 §2.2 and §3, OIDC Core §9):
/// a JWS whose `iss` and `sub` are the client id, `aud` the token endpoint, `jti` unique, `iat` now and
/// `exp` ``lifetime`` later, sent as the form fields `client_assertion_type` and `client_assertion`.
///
/// Every sample builds a new one (a server may refuse a `jti` it has seen), and each is a secret in every
/// output.
struct ClientAssertion: Sendable {
    /// RFC 7523 §3 asks for a short lifetime; a minute covers any request conform sends.
    static let lifetime: Double = 60
    static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    var clientID: String
    var audience: String
    var algorithm: JWTAlgorithm
    var key: ClientSigningKey

    /// The compact JWS, `header.claims.signature`, issued at `now` with `jti`.
    func token(now: Date = Date(), jti: String = UUID().uuidString.lowercased()) throws -> String {
        var header: [String: JSONValue] = ["alg": .string(algorithm.rawValue), "typ": .string("JWT")]
        if let kid = key.keyID { header["kid"] = .string(kid) }
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        let claims: [String: JSONValue] = [
            "iss": .string(clientID), "sub": .string(clientID), "aud": .string(audience), "jti": .string(jti),
            "iat": .number(issuedAt), "exp": .number(issuedAt + Self.lifetime),
        ]
        let input =
            Base64URL.encode(JSONValue.object(header).encoded()) + "."
            + Base64URL.encode(JSONValue.object(claims).encoded())
        let signature = try key.sign(Data(input.utf8), with: algorithm)
        return input + "." + Base64URL.encode(signature)
    }

    /// The token endpoint as an audience: the request's URL without its query or fragment.
    static func audience(of url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.query = nil
        components.fragment = nil
        return components.url?.absoluteString ?? url.absoluteString
    }
}
