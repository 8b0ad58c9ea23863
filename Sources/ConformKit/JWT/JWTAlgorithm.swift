import Crypto
import Foundation
import _CryptoExtras

/// The JWS algorithms conform verifies (RFC 7518 §3, RFC 8037 §3.1). `none` is not one of them: a token
/// that says `alg: none` is never accepted.
enum JWTAlgorithm: String, CaseIterable, Sendable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"

    /// The key an algorithm needs, in words and as a JWK `kty` (and `crv`).
    enum KeyKind: Equatable, CustomStringConvertible {
        case rsa
        case ec(curve: String)
        case okp(curve: String)
        case secret

        var description: String {
            switch self {
            case .rsa: "an RSA key"
            case .ec(let curve): "an EC key on \(curve)"
            case .okp(let curve): "an OKP key on \(curve)"
            case .secret: "a shared secret (hmac_secret)"
            }
        }
    }

    var keyKind: KeyKind {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: .rsa
        case .es256: .ec(curve: "P-256")
        case .es384: .ec(curve: "P-384")
        case .es512: .ec(curve: "P-521")
        case .edDSA: .okp(curve: "Ed25519")
        case .hs256, .hs384, .hs512: .secret
        }
    }

    var isHMAC: Bool { keyKind == .secret }

    /// "RS256, RS384, …", for messages.
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether `signature` over `input` verifies with `key`. A key of the wrong kind never verifies: the
    /// caller has already refused it with a message (no RS/HS confusion can reach here).
    func verify(_ signature: Data, over input: Data, with key: JSONWebKey.Material) -> Bool {
        switch (self, key) {
        case (.rs256, .rsa(let key)): rsa(key, signature, SHA256.hash(data: input), .insecurePKCS1v1_5)
        case (.rs384, .rsa(let key)): rsa(key, signature, SHA384.hash(data: input), .insecurePKCS1v1_5)
        case (.rs512, .rsa(let key)): rsa(key, signature, SHA512.hash(data: input), .insecurePKCS1v1_5)
        case (.ps256, .rsa(let key)): rsa(key, signature, SHA256.hash(data: input), .PSS)
        case (.ps384, .rsa(let key)): rsa(key, signature, SHA384.hash(data: input), .PSS)
        case (.ps512, .rsa(let key)): rsa(key, signature, SHA512.hash(data: input), .PSS)
        case (.es256, .p256(let key)):
            (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map {
                key.isValidSignature($0, for: input)
            } ?? false
        case (.es384, .p384(let key)):
            (try? P384.Signing.ECDSASignature(rawRepresentation: signature)).map {
                key.isValidSignature($0, for: input)
            } ?? false
        case (.es512, .p521(let key)):
            (try? P521.Signing.ECDSASignature(rawRepresentation: signature)).map {
                key.isValidSignature($0, for: input)
            } ?? false
        case (.edDSA, .ed25519(let key)): key.isValidSignature(signature, for: input)
        case (.hs256, .secret(let secret)):
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: secret)
        case (.hs384, .secret(let secret)):
            HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: input, using: secret)
        case (.hs512, .secret(let secret)):
            HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: input, using: secret)
        default: false
        }
    }

    private func rsa(
        _ key: _RSA.Signing.PublicKey, _ signature: Data, _ digest: some Digest, _ padding: _RSA.Signing.Padding
    ) -> Bool {
        key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: padding)
    }
}
