@preconcurrency import Crypto
import ConformSupport
import ConformJSON
import Foundation
import _CryptoExtras

/// A client's private key for `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9), read from a PEM or JWK file,
/// or the client secret for `client_secret_jwt`: what signs a client assertion.
///
/// The file is read once, when the run is planned, and is a secret in every output. Its size is bounded
/// (``maximumBytes``) and an RSA key must have 2048 to 8192 bits, which bounds the cost of one signature.
struct ClientSigningKey: Sendable {
    /// Key files are a few KiB at most; a larger file is refused, not read.
    static let maximumBytes = 64 << 10

    /// The private key that signs, by family.
    typealias Material = KeyMaterial<
        _RSA.Signing.PrivateKey, P256.Signing.PrivateKey, P384.Signing.PrivateKey, P521.Signing.PrivateKey,
        Curve25519.Signing.PrivateKey
    >

    var material: Material
    /// The JWK's `kid`, sent in the assertion's header so that the server can pick the key.
    var keyID: String?

    /// The algorithm used when the suite names none: RS256 for RSA (RFC 7523's example), ES256/384/512 by
    /// curve, EdDSA, HS256 for a secret.
    var defaultAlgorithm: JWTAlgorithm {
        switch material {
        case .rsa: .rs256
        case .p256: .es256
        case .p384: .es384
        case .p521: .es512
        case .ed25519: .edDSA
        case .secret: .hs256
        }
    }

    /// The algorithms this key can sign with.
    var algorithms: [JWTAlgorithm] { JWTAlgorithm.allCases.filter { $0.keyKind == material.kind } }

    /// The strings in a key file worth masking on their own besides the whole text: each PEM body (joined
    /// without line breaks) and the private members of a JWK.
    static func secretParts(of text: String) -> [String] {
        var parts: [String] = []
        if let jwk = JSONValue.decode(Data(text.utf8)), case .object(let members) = jwk {
            for name in Self.privateMembers { if case .string(let value)? = members[name] { parts.append(value) } }
        }
        var body = ""
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("-----END") {
                parts.append(body)
                body = ""
            } else if !line.hasPrefix("-----BEGIN") {
                body += line.trimmingCharacters(in: .whitespaces)
            }
        }
        return parts.filter { !$0.isEmpty }
    }

    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"]

    /// Reads a PEM private key (PKCS #8, PKCS #1 RSA or SEC 1 EC) or a private JWK (RFC 7517, RFC 7518 §6).
    static func read(_ data: Data) throws(ClientKeyError) -> ClientSigningKey {
        guard data.count <= maximumBytes else { throw .tooLarge }
        guard let text = String(data: data, encoding: .utf8) else { throw .notText }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw .empty }
        if trimmed.hasPrefix("{") { return try readJWK(trimmed) }
        if trimmed.hasPrefix("-----BEGIN ") { return try readPEM(trimmed) }
        throw .unknownFormat
    }

    private static func readPEM(_ text: String) throws(ClientKeyError) -> ClientSigningKey {
        let label = text.dropFirst("-----BEGIN ".count).prefix { $0 != "-" && !$0.isNewline }
        guard ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].contains(label) else {
            throw .pemLabel(String(label.prefix(40)))
        }
        if let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: text) {
            return try ClientSigningKey(material: .rsa(checked(key)), keyID: nil)
        }
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: text) {
            return ClientSigningKey(material: .p256(key), keyID: nil)
        }
        if let key = try? P384.Signing.PrivateKey(pemRepresentation: text) {
            return ClientSigningKey(material: .p384(key), keyID: nil)
        }
        if let key = try? P521.Signing.PrivateKey(pemRepresentation: text) {
            return ClientSigningKey(material: .p521(key), keyID: nil)
        }
        throw .unreadablePEM
    }

    private static func checked(_ key: _RSA.Signing.PrivateKey) throws(ClientKeyError) -> _RSA.Signing.PrivateKey {
        guard JSONWebKey.rsaBits.contains(key.keySizeInBits) else { throw .rsaSize(key.keySizeInBits) }
        return key
    }

    private static func readJWK(_ text: String) throws(ClientKeyError) -> ClientSigningKey {
        guard case .object(let members)? = JSONValue.decode(Data(text.utf8)) else { throw .jwk("is not a JSON object") }
        func string(_ name: String) -> String? {
            if case .string(let value)? = members[name] { return value }
            return nil
        }
        func bytes(_ name: String) throws(ClientKeyError) -> Data {
            guard let value = string(name) else { throw .jwk("has no string \"\(name)\"") }
            guard let data = Base64URL.decode(value), !data.isEmpty else { throw .jwk("\"\(name)\" is not base64url") }
            return data
        }
        if members["keys"] != nil { throw .jwk("is a JWK Set; the file must hold the one private key") }
        let kty = string("kty")
        if kty == "oct" { throw .jwk("is a shared secret (kty \"oct\"): client_secret_jwt signs with client_secret") }
        guard string("d") != nil else {
            throw .jwk("has no private member \"d\": a public key cannot sign")
        }
        let material: Material
        do {
            switch kty {
            case "RSA":
                let modulus = try bytes("n")
                let bits = modulus.drop { $0 == 0 }.count * 8
                guard JSONWebKey.rsaBits.contains(bits) else { throw ClientKeyError.rsaSize(bits) }
                let key = try _RSA.Signing.PrivateKey(
                    n: modulus, e: try bytes("e"), d: try bytes("d"), p: try bytes("p"), q: try bytes("q"))
                material = .rsa(try checked(key))
            case "EC":
                let d = try bytes("d")
                switch string("crv") {
                case "P-256": material = .p256(try P256.Signing.PrivateKey(rawRepresentation: d))
                case "P-384": material = .p384(try P384.Signing.PrivateKey(rawRepresentation: d))
                case "P-521": material = .p521(try P521.Signing.PrivateKey(rawRepresentation: d))
                case let other:
                    throw ClientKeyError.jwk(
                        "is an EC key on \(other.map { JSONValue.quoted($0) } ?? "no curve"), not P-256, P-384 or P-521")
                }
            case "OKP":
                guard string("crv") == "Ed25519" else { throw ClientKeyError.jwk("is an OKP key, not on Ed25519") }
                material = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: try bytes("d")))
            case let other:
                throw ClientKeyError.jwk(
                    "has kty \(other.map { JSONValue.quoted($0) } ?? "missing"); conform signs with RSA, EC and OKP keys")
            }
        } catch let error as ClientKeyError {
            throw error
        } catch {
            throw .jwk("is not a usable \(kty ?? "") private key")
        }
        return ClientSigningKey(material: material, keyID: string("kid"))
    }

    /// The JWS signature over `input` (RFC 7515 §5.1, RFC 7518 §3): raw `r || s` for ECDSA. The algorithm
    /// must fit the key (checked before the run: ``algorithms``).
    func sign(_ input: Data, with algorithm: JWTAlgorithm) throws -> Data {
        switch (algorithm, material) {
        case (.rs256, .rsa(let key)): try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.rs384, .rsa(let key)): try key.signature(for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.rs512, .rsa(let key)): try key.signature(for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        case (.ps256, .rsa(let key)): try key.signature(for: SHA256.hash(data: input), padding: .PSS).rawRepresentation
        case (.ps384, .rsa(let key)): try key.signature(for: SHA384.hash(data: input), padding: .PSS).rawRepresentation
        case (.ps512, .rsa(let key)): try key.signature(for: SHA512.hash(data: input), padding: .PSS).rawRepresentation
        case (.es256, .p256(let key)): try key.signature(for: input).rawRepresentation
        case (.es384, .p384(let key)): try key.signature(for: input).rawRepresentation
        case (.es512, .p521(let key)): try key.signature(for: input).rawRepresentation
        case (.edDSA, .ed25519(let key)): try key.signature(for: input)
        case (.hs256, .secret(let key)): Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
        case (.hs384, .secret(let key)): Data(HMAC<SHA384>.authenticationCode(for: input, using: key))
        case (.hs512, .secret(let key)): Data(HMAC<SHA512>.authenticationCode(for: input, using: key))
        default: throw ClientKeyError.algorithm(algorithm.rawValue, material.kind)
        }
    }
}

/// Why a key file cannot sign client assertions, in words after `private key "path": `.
enum ClientKeyError: Error, Equatable, CustomStringConvertible {
    case tooLarge
    case notText
    case empty
    case unknownFormat
    case pemLabel(String)
    case unreadablePEM
    case rsaSize(Int)
    case jwk(String)
    case algorithm(String, JWTAlgorithm.KeyKind)

    var description: String {
        switch self {
        case .tooLarge: "it is larger than \(ByteCount.describe(ClientSigningKey.maximumBytes))"
        case .notText: "it is not UTF-8 text (a PEM or JWK file)"
        case .empty: "it is empty"
        case .unknownFormat: "it is neither a PEM private key (-----BEGIN PRIVATE KEY-----) nor a JWK ({…})"
        case .pemLabel(let label):
            "it is a PEM \(JSONValue.quoted(label)), not a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
        case .unreadablePEM:
            "its PEM private key is not one conform signs with (RSA of \(JSONWebKey.rsaBits.lowerBound)-\(JSONWebKey.rsaBits.upperBound) bits, EC on P-256, P-384 or P-521)"
        case .rsaSize(let bits):
            "it is an RSA key of about \(bits) bits; conform signs with \(JSONWebKey.rsaBits.lowerBound)-\(JSONWebKey.rsaBits.upperBound)"
        case .jwk(let message): "the JWK \(message)"
        case .algorithm(let name, let kind): "\(name) cannot sign with \(kind)"
        }
    }
}
