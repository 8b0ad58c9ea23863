@preconcurrency import Crypto
import ConformJSON
import ConformSupport
import Foundation

/// The ID token rules of a `jwt` expectation (OpenID Connect Core): `at_hash` matches the access token of
/// the same response (§3.1.3.8, §3.2.2.9), and `azp` names the client when `aud` has several audiences
/// (§3.1.3.7). Messages name the claim and both values; the access token itself is never shown.
extension JWTCheck {
    func idTokenFindings(_ token: JSONWebToken, response: ResponseUnderTest) -> [String] {
        var problems: [String] = []
        if let field = expectation.accessTokenHashField {
            problems += accessTokenHashProblems(token, field: field, response: response)
        }
        if let expected = authorizedParty {
            let shown = described(expected, expectation.authorizedParty)
            let azp = token.claims["azp"]
            if case .array(let audiences)? = token.claims["aud"], audiences.count > 1, azp == nil {
                problems.append(
                    "azp: expected \(shown) since aud names \(audiences.count) audiences, got nothing (no such claim) (OpenID Connect Core §3.1.3.7)"
                )
            } else if let azp, azp != .string(expected) {
                problems.append("azp: expected \(shown), got \(Self.seen(azp)) (OpenID Connect Core §3.1.3.7)")
            }
        }
        return problems
    }

    private func accessTokenHashProblems(
        _ token: JSONWebToken, field: FieldPath, response: ResponseUnderTest
    ) -> [String] {
        guard case .json(.string(let accessToken))? = response.document.field(at: field) else {
            return ["at_hash: cannot be checked: the response has no string field \(field)"]
        }
        guard let (hash, name) = Self.accessTokenHash(accessToken, algorithm: token.algorithm) else {
            return ["at_hash: cannot be checked: alg \(JSONValue.quoted(token.algorithm)) names no hash"]
        }
        let claim = token.claims["at_hash"]
        guard claim != .string(hash) else { return [] }
        return [
            "at_hash: expected \(JSONValue.quoted(hash)) (the left half of \(name) of \(field), base64url), got \(Self.seen(claim)) (OpenID Connect Core §3.2.2.9)"
        ]
    }

    /// base64url of the left half of the hash of the token's ASCII bytes, the hash being the one of the
    /// ID token's `alg` (SHA-256 for RS256, ES256, PS256, HS256; SHA-512 for EdDSA with Ed25519).
    static func accessTokenHash(_ accessToken: String, algorithm: String) -> (String, String)? {
        let data = Data(accessToken.utf8)
        let digest: [UInt8]
        let name: String
        switch algorithm {
        case "RS256", "PS256", "ES256", "HS256":
            digest = Array(SHA256.hash(data: data))
            name = "SHA-256"
        case "RS384", "PS384", "ES384", "HS384":
            digest = Array(SHA384.hash(data: data))
            name = "SHA-384"
        case "RS512", "PS512", "ES512", "HS512", "EdDSA":
            digest = Array(SHA512.hash(data: data))
            name = "SHA-512"
        default:
            return nil
        }
        return (Base64URL.encode(Data(digest.prefix(digest.count / 2))), name)
    }
}
