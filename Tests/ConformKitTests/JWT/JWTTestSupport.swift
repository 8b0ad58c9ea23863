import Crypto
import Foundation
import _CryptoExtras

@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// Tokens and keys for the JWT tests: every algorithm conform verifies, signed here with keys made here
/// (RSA: the mocks' fixed test key).
enum JWTFixtures {
    /// Pitchpoint's own sample from the seed page: `iat` 1708715, `exp` 1708719, a padded signature.
    static let seedToken =
        "eyJraWQiOiIxMjM0NSIsInR5cCI6IkpXVCIsImFsZyI6IlJTMjU2In0.eyJhdWQiOiJ0ZXN0LXRlbmFudCIsInN1YiI6InhwcHN8MTIyMyIsImVtYWlsX3ZlcmlmaWVkIjp0cnVlLCJ1c2VyX2lkIjoiMTIyMyIsImF1dGhfdGltZSI6MTcwODcxNTYwMiwiaXNzIjoiaHR0cHM6XC9cL3NlY3VyZXRva2VuLmdvb2dsZS5jb21cL3Rlc3QtdGVuYW50IiwiZXhwIjoxNzA4NzE5LCJpYXQiOjE3MDg3MTUsImVtYWlsIjoidGVzdHVzZXJAdGVuYW50LmNvbSJ9.dGVzdA=="

    /// 2026-12-07T05:12:13Z, and the same instant as an HTTP-date.
    static let now = Date(timeIntervalSince1970: 1_796_620_333)
    static let nowHeader = "Mon, 07 Dec 2026 05:12:13 GMT"

    nonisolated(unsafe) static let p256 = P256.Signing.PrivateKey()
    nonisolated(unsafe) static let p384 = P384.Signing.PrivateKey()
    nonisolated(unsafe) static let p521 = P521.Signing.PrivateKey()
    nonisolated(unsafe) static let ed25519 = Curve25519.Signing.PrivateKey()
    static var rsa: _RSA.Signing.PrivateKey { MockSigningKey.privateKey! }

    /// A JWK Set with one key of each kind, kids "rsa", "p256", "p384", "p521", "ed".
    static var keySet: JSONValue {
        func ec(_ kid: String, _ curve: String, _ x963: Data) -> JSONValue {
            let size = (x963.count - 1) / 2
            return .object([
                "kty": .string("EC"), "crv": .string(curve), "kid": .string(kid),
                "x": .string(Base64URL.encode(x963.dropFirst().prefix(size))),
                "y": .string(Base64URL.encode(x963.suffix(size))),
            ])
        }
        let primitives = try! rsa.publicKey.getKeyPrimitives()
        return .object([
            "keys": .array([
                .object([
                    "kty": .string("RSA"), "kid": .string("rsa"), "n": .string(Base64URL.encode(primitives.modulus)),
                    "e": .string(Base64URL.encode(primitives.publicExponent)),
                ]),
                ec("p256", "P-256", p256.publicKey.x963Representation),
                ec("p384", "P-384", p384.publicKey.x963Representation),
                ec("p521", "P-521", p521.publicKey.x963Representation),
                .object([
                    "kty": .string("OKP"), "crv": .string("Ed25519"), "kid": .string("ed"),
                    "x": .string(Base64URL.encode(ed25519.publicKey.rawRepresentation)),
                ]),
            ])
        ])
    }

    static var parsedKeySet: JSONWebKeySet { try! JSONWebKeySet.read(keySet) }

    /// A token signed with `alg` (the key of that kind; `secret` for HS*), header `kid` when given.
    static func token(
        _ alg: String, kid: String? = nil, claims: [String: JSONValue] = [:], header extra: [String: JSONValue] = [:],
        secret: String = "s3cret"
    ) -> String {
        var header: [String: JSONValue] = ["alg": .string(alg)]
        if let kid { header["kid"] = .string(kid) }
        header.merge(extra) { $1 }
        let input =
            Base64URL.encode(JSONValue.object(header).encoded()) + "."
            + Base64URL.encode(JSONValue.object(claims).encoded())
        let data = Data(input.utf8)
        let key = SymmetricKey(data: Data(secret.utf8))
        let signature: Data
        switch alg {
        case "RS256":
            signature = try! rsa.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case "RS384":
            signature = try! rsa.signature(for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case "RS512":
            signature = try! rsa.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        case "PS256": signature = try! rsa.signature(for: SHA256.hash(data: data), padding: .PSS).rawRepresentation
        case "PS384": signature = try! rsa.signature(for: SHA384.hash(data: data), padding: .PSS).rawRepresentation
        case "PS512": signature = try! rsa.signature(for: SHA512.hash(data: data), padding: .PSS).rawRepresentation
        case "ES256": signature = try! p256.signature(for: data).rawRepresentation
        case "ES384": signature = try! p384.signature(for: data).rawRepresentation
        case "ES512": signature = try! p521.signature(for: data).rawRepresentation
        case "EdDSA": signature = try! ed25519.signature(for: data)
        case "HS256": signature = Data(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case "HS384": signature = Data(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case "HS512": signature = Data(HMAC<SHA512>.authenticationCode(for: data, using: key))
        default: signature = Data()
        }
        return input + "." + Base64URL.encode(signature)
    }

    /// The token with one bit of its signature flipped.
    static func tampered(_ token: String) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var signature = Base64URL.decode(parts[2])!
        signature[signature.startIndex] ^= 0x01
        return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
    }

    /// A check of `access_token` with the local clock at ``now``.
    static func check(
        _ expectation: JWTExpectation = JWTExpectation(location: SourceLocation(line: 1, column: 1)),
        keys: JWTCheck.Keys = .none, issuer: String? = nil, audience: String? = nil,
        claims: [(String, JSONValue)] = []
    ) -> JWTCheck {
        var check = JWTCheck(path: FieldPath("access_token")!, expectation: expectation)
        check.keys = keys
        check.issuer = issuer
        check.audience = audience
        check.claims = claims.map { (name: $0.0, value: $0.1) }
        check.now = { JWTFixtures.now }
        return check
    }

    static func body(_ token: String, expiresIn: String = "3600") -> String {
        #"{"access_token": "\#(token)", "token_type": "Bearer", "expires_in": \#(expiresIn)}"#
    }

    static func expectation(_ edit: (inout JWTExpectation) -> Void = { _ in }) -> JWTExpectation {
        var expectation = JWTExpectation(location: SourceLocation(line: 1, column: 1))
        edit(&expectation)
        return expectation
    }
}
