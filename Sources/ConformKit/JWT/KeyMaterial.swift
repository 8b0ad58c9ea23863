@preconcurrency import Crypto
import _CryptoExtras

/// A key of one of the families conform signs and verifies with (RFC 7518 §3, RFC 8037 §3.1), private or
/// public: ``ClientSigningKey/Material`` holds private keys, which sign client assertions, and
/// ``JSONWebKey/Material`` public keys, which verify tokens. One list of families, and each one's kind, for
/// both.
enum KeyMaterial<RSAKey, P256Key, P384Key, P521Key, Ed25519Key> {
    case rsa(RSAKey)
    case p256(P256Key)
    case p384(P384Key)
    case p521(P521Key)
    case ed25519(Ed25519Key)
    case secret(SymmetricKey)

    /// What an algorithm needs of the key (``JWTAlgorithm/keyKind``).
    var kind: JWTAlgorithm.KeyKind {
        switch self {
        case .rsa: .rsa
        case .p256: .ec(curve: "P-256")
        case .p384: .ec(curve: "P-384")
        case .p521: .ec(curve: "P-521")
        case .ed25519: .okp(curve: "Ed25519")
        case .secret: .secret
        }
    }
}

extension KeyMaterial: Sendable
where RSAKey: Sendable, P256Key: Sendable, P384Key: Sendable, P521Key: Sendable, Ed25519Key: Sendable {}
