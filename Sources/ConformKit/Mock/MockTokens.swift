import Foundation

/// Random credentials and tokens for the mocks; new at every start, so that nothing accepts a stale value.
enum MockTokens {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func random(_ length: Int, prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A JWT-shaped token: a JSON header with `alg` RS256 and a `kid`, JSON claims issued at `now`, a random
    /// signature.
    static func jwt(subject: String, lifetime: Int, now date: Date) -> String {
        let now = Int(date.timeIntervalSince1970)
        let header: JSONValue = .object([
            "alg": .string("RS256"), "kid": .string("conform-mock-1"), "typ": .string("JWT"),
        ])
        let claims: JSONValue = .object([
            "iss": .string("https://securetoken.google.com/conform-mock"), "aud": .string("conform-mock"),
            "sub": .string(subject), "iat": .number(Double(now)), "exp": .number(Double(now + lifetime)),
        ])
        var generator = SystemRandomNumberGenerator()
        let signature = Data((0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return [header.encoded(), claims.encoded(), signature].map(base64URL).joined(separator: ".")
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
