@preconcurrency import Crypto
import ConformJSON
import Foundation

/// The keys of the `oidc` mock besides ``MockSigningKey`` (its RSA key): an EC P-256 key that signs its ID
/// tokens, and the public half of the fixed test client key that `private_key_jwt` assertions are signed with.
///
/// Fixed test keys, made for conform's mocks and used nowhere else, like ``MockSigningKey``: the private halves
/// in source reveal nothing. The client's private key is also shipped as `suites/keys/oidc-mock-client.pem`,
/// so that a suite can sign assertions the mock accepts.
enum OIDCMockKeys {
    static let ecKeyID = "conform-mock-ec-1"
    static let clientKeyID = "conform-mock-client-1"

    /// The provider's EC key (ES256), from its fixed 32-byte scalar.
    static let ecKey: P256.Signing.PrivateKey? = hex(
        "8f7d9ff53b427cb7fdc31f0cc5794749d77a9b1982dc411bf566cccb4b700cc7"
    ).flatMap { try? P256.Signing.PrivateKey(rawRepresentation: $0) }

    /// The test client's key; the mock only uses its public half, tests sign with the private one.
    static let clientKey: P256.Signing.PrivateKey? = hex(
        "a0ce39735efe942102cc54a14d174b3d063a0980978510e2aceb4053ab93c038"
    ).flatMap { try? P256.Signing.PrivateKey(rawRepresentation: $0) }

    /// The provider's JWK Set: the RSA key of ``MockSigningKey`` and the EC key. With `privateMembers`, the
    /// EC key also publishes its private scalar `d` (the `jwks-private-members` deviation).
    static func keySet(privateMembers: Bool) -> JSONValue {
        guard case .object(let rsaSet) = MockSigningKey.keySet, case .array(var keys)? = rsaSet["keys"] else {
            return .object(["keys": .array([])])
        }
        if let ecKey {
            var ec = publicJWK(ecKey.publicKey, keyID: ecKeyID)
            if privateMembers { ec["d"] = .string(Base64URL.encode(ecKey.rawRepresentation)) }
            keys.append(.object(ec))
        }
        return .object(["keys": .array(keys)])
    }

    /// The members of an EC public key (RFC 7518 §6.2.1).
    static func publicJWK(_ key: P256.Signing.PublicKey, keyID: String) -> [String: JSONValue] {
        let point = key.x963Representation.dropFirst()
        return [
            "kty": .string("EC"), "crv": .string("P-256"), "alg": .string("ES256"), "use": .string("sig"),
            "kid": .string(keyID), "x": .string(Base64URL.encode(Data(point.prefix(32)))),
            "y": .string(Base64URL.encode(Data(point.suffix(32)))),
        ]
    }

    /// ES256 over `input` (the raw `r || s` of RFC 7518 §3.4); empty when the key is missing.
    static func signES256(_ input: Data) -> Data {
        (try? ecKey?.signature(for: input))?.rawRepresentation ?? Data()
    }

    private static func hex(_ text: String) -> Data? {
        var data = Data()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
