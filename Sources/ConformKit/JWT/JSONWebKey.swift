@preconcurrency import Crypto
import _CryptoExtras
import ConformJSON
import Foundation

/// One public key of a JWK Set (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2), ready to verify signatures.
struct JSONWebKey: Sendable {
    var keyID: String?
    /// The key's own `alg`, when it names one: a token with another `alg` may not use it.
    var algorithm: String?
    /// `sig` or `enc`, when given: an `enc` key never verifies a signature.
    var use: String?
    var material: Material

    /// The public key that verifies, by family.
    typealias Material = KeyMaterial<
        _RSA.Signing.PublicKey, P256.Signing.PublicKey, P384.Signing.PublicKey, P521.Signing.PublicKey,
        Curve25519.Signing.PublicKey
    >

    /// RSA moduli conform accepts: 2048 bits (RFC 7518 §3.3's floor) to 8192, which bounds the cost of one
    /// verification.
    static let rsaBits = 2048...8192

    /// Reads one member of `keys`; the error says why it cannot verify anything.
    static func read(_ value: JSONValue) throws(JWKSError) -> JSONWebKey {
        guard case .object(let members) = value else { throw .key("is \(value.typeDescription), not an object") }
        func string(_ name: String) -> String? {
            if case .string(let text)? = members[name] { return text }
            return nil
        }
        func bytes(_ name: String) throws(JWKSError) -> Data {
            guard let text = string(name) else { throw .key("has no string \"\(name)\"") }
            guard let data = Base64URL.decode(text), !data.isEmpty else { throw .key("\"\(name)\" is not base64url") }
            return data
        }
        let kid = string("kid")
        func named(_ message: String) -> JWKSError { .key("\(kid.map { "\"\($0)\" " } ?? "")\(message)") }
        let material: Material
        switch string("kty") {
        case "RSA":
            let modulus = try bytes("n")
            let exponent = try bytes("e")
            let bits = (modulus.drop { $0 == 0 }.count) * 8
            guard rsaBits.contains(bits) else {
                throw named(
                    "is an RSA key of about \(bits) bits; conform verifies \(rsaBits.lowerBound)-\(rsaBits.upperBound)")
            }
            guard exponent.count <= 8 else { throw named("has an RSA exponent of \(exponent.count) bytes") }
            do {
                material = .rsa(try _RSA.Signing.PublicKey(n: modulus, e: exponent))
            } catch {
                throw named("is not a usable RSA public key")
            }
        case "EC":
            let x = try bytes("x")
            let y = try bytes("y")
            let point = Data([0x04]) + x + y
            do {
                switch string("crv") {
                case "P-256": material = .p256(try P256.Signing.PublicKey(x963Representation: point))
                case "P-384": material = .p384(try P384.Signing.PublicKey(x963Representation: point))
                case "P-521": material = .p521(try P521.Signing.PublicKey(x963Representation: point))
                default:
                    throw named(
                        "is an EC key on \(JSONValue.quoted(string("crv") ?? "no curve")), not P-256, P-384 or P-521")
                }
            } catch let error as JWKSError {
                throw error
            } catch {
                throw named("is not a point on \(string("crv") ?? "its curve")")
            }
        case "OKP":
            guard string("crv") == "Ed25519" else {
                throw named("is an OKP key on \(JSONValue.quoted(string("crv") ?? "no curve")), not Ed25519")
            }
            do {
                material = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: try bytes("x")))
            } catch {
                throw named("is not a usable Ed25519 public key")
            }
        case "oct":
            // A shared secret published in a key set is a leak, and would let any holder forge tokens.
            throw named("is a symmetric key (kty \"oct\"): a published key set holds public keys only")
        case let other:
            throw named(
                "has kty \(other.map { JSONValue.quoted($0) } ?? "missing"); conform verifies RSA, EC and OKP keys")
        }
        return JSONWebKey(keyID: kid, algorithm: string("alg"), use: string("use"), material: material)
    }
}

/// Why a key set or one of its keys cannot be used.
enum JWKSError: Error, Equatable, CustomStringConvertible {
    case key(String)
    case set(String)

    var description: String {
        switch self {
        case .key(let message): "a key \(message)"
        case .set(let message): message
        }
    }
}
