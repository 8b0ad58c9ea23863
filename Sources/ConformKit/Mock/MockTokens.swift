import ConformJSON
import Foundation
import NIOConcurrencyHelpers

/// Random credentials and tokens for the mocks; new at every start, so that nothing accepts a stale value.
enum MockTokens {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func random(_ length: Int, prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// What a mock's JWT gets wrong on purpose (a deviation), if anything.
    enum JWTFlaw: Sendable, Equatable {
        /// Issued an hour before `now`, so `exp` is an hour in the past.
        case expired
        /// `exp` only 4 s after `iat`, as in Pitchpoint's own sample, whatever `expires_in` says.
        case shortLifetime
        /// A signature that does not verify (one bit flipped).
        case badSignature
        /// `alg: none` and no signature.
        case unsigned
    }

    /// An RS256 JWT signed with ``MockSigningKey`` (header `alg`, `kid`, `typ`), with Firebase-style
    /// claims issued at `now` for `lifetime` seconds: the same token for the same clock.
    static func jwt(subject: String, lifetime: Int, now date: Date, flaw: JWTFlaw? = nil) -> String {
        let key = IssuedToken(subject: subject, lifetime: lifetime, second: Int(date.timeIntervalSince1970), flaw: flaw)
        if let token = lastIssued.withLockedValue({ $0?.key == key ? $0?.token : nil }) { return token }
        let token = signedJWT(key)
        lastIssued.withLockedValue { $0 = (key, token) }
        return token
    }

    /// What makes a token: within one second of the clock, the same request gets the same token.
    private struct IssuedToken: Equatable, Sendable {
        var subject: String
        var lifetime: Int
        var second: Int
        var flaw: JWTFlaw?
    }

    /// The last token signed: an RSA signature costs a mock under load (benchmarks/run.sh) about a
    /// millisecond, so the mock signs at most once a second per kind of token, not once per answer.
    private static let lastIssued = NIOLockedValueBox<(key: IssuedToken, token: String)?>(nil)

    private static func signedJWT(_ key: IssuedToken) -> String {
        let (subject, lifetime, flaw) = (key.subject, key.lifetime, key.flaw)
        var issued = key.second
        var expires = issued + lifetime
        switch flaw {
        case .expired?:
            issued -= 2 * lifetime
            expires = issued + lifetime
        case .shortLifetime?:
            expires = issued + 4
        default:
            break
        }
        let header: JSONValue = .object([
            "alg": .string(flaw == .unsigned ? "none" : "RS256"), "kid": .string(MockSigningKey.keyID),
            "typ": .string("JWT"),
        ])
        let claims: JSONValue = .object([
            "iss": .string("https://securetoken.google.com/conform-mock"), "aud": .string("conform-mock"),
            "sub": .string(subject), "user_id": .string(subject), "auth_time": .number(Double(issued)),
            "iat": .number(Double(issued)), "exp": .number(Double(expires)),
        ])
        let input = base64URL(header.encoded()) + "." + base64URL(claims.encoded())
        if flaw == .unsigned { return input + "." }
        var signature = MockSigningKey.sign(Data(input.utf8))
        if flaw == .badSignature, !signature.isEmpty { signature[signature.startIndex] ^= 0x01 }
        return input + "." + base64URL(signature)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
