import _CryptoExtras
import ConformJSON
import Crypto
import Foundation

/// The RSA key the mocks sign their JWTs with, and the JWK Set that publishes its public half.
///
/// A fixed 2048-bit test key, made for conform's mocks and used nowhere else: a key drawn at every start
/// would cost each mock start an RSA key generation, and a fixed one keeps the tokens' size and shape the
/// same from run to run. It signs nothing outside the mocks, so its private half in source reveals nothing.
enum MockSigningKey {
    static let keyID = "conform-mock-1"

    /// `nil` only if the PEM below were damaged; the mocks then issue unsigned-looking tokens, which every
    /// signature check fails loudly.
    static let privateKey: _RSA.Signing.PrivateKey? = try? _RSA.Signing.PrivateKey(pemRepresentation: pem)

    /// The public key as a JWK Set (RFC 7517 §5), as a provider publishes it.
    static var keySet: JSONValue {
        guard let primitives = try? privateKey?.publicKey.getKeyPrimitives() else {
            return .object(["keys": .array([])])
        }
        return .object([
            "keys": .array([
                .object([
                    "kty": .string("RSA"), "alg": .string("RS256"), "use": .string("sig"), "kid": .string(keyID),
                    "n": .string(Base64URL.encode(primitives.modulus)),
                    "e": .string(Base64URL.encode(primitives.publicExponent)),
                ])
            ])
        ])
    }

    /// RS256 over `input`; empty when the key is missing.
    static func sign(_ input: Data) -> Data {
        (try? privateKey?.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5))?.rawRepresentation
            ?? Data()
    }

    private static let pem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEAvt9j/DNaAkwRrtlGxWyCGku4EOwqo2SbMKbpSKrLH6Y0cohu
        eYviBhUl8KrIv5Wb/s7I/s+sXgkZPCyRBzL2XSMjLNhovQtwr+gBAOKhLbAWeo7Z
        sDDFwysMqaw+T0Ee8iwvgeTB62SWFHPpQQB7H0eZ3ptYkJJ5sgyI4S4VbzLYKNGE
        GkXbHIlvhRblr/bDGOfGjsQk7HdXBRhJNj0ncskyLk+JH5YB8+VePsdrxxewVil1
        PJi7pUXMQeWx1LWxxXhh+IC/H9ExJ4jUJjq3ncPP4RWQSXv4uWkINKErMZ6M8QKW
        /sudPuEWlcJPxY99ND+tvrFXyuaQwP9km7GriwIDAQABAoIBABQvRoEMoyecCMCv
        THsjOuzx9fCgMPAfewPdmszq9tkNd/1mrRwgbVIMWXtGbD1KYnlDP+EmcAlvt+Hz
        qpCS1JfL1/PtnMHlHFEV3UlNLhNJTE9AnQezWK6HdmrZAqvZ7J5aitmXKeStOevG
        yDNuDBcmOMDgN7DuNH1eMvlxKKYeENLBVm/+am/ymiolzJJ7xZ6T+ioPYZDE0hmZ
        +fp5O9JL3sp6qS/3Ps0YEKjC1zsIVFmFCk+okpAmsYvWNFnFrTwWt2FGEU+cMyU8
        FT8caO/geqiOVOSUeSHKPYTk4EgrAFsUcBK+wfREhJ44oa9r2WRENtg7JLr382Am
        FwrNbpkCgYEA9o360J3BhG8NmFcPZ1OeJhrMkILGCfTSV4H/D5GWwdMRzv9tLmMG
        Zz70wlH5Gb74XOZyCz7DlNWB5kOK2iYJ1IgDBp2fg8iKY36K0u5u26ca8OoLy+5b
        +GsxC2bqi1izBDX7lSaDO6scQXlXExO0GM52IfDrBiIegxMF5XJIQeMCgYEAxi9S
        /a7VCFY7/R/iH10gqqWUlLyJczBLHShpmYSd4+oVk5ifGjNuM82QaaiZf8jKJp4T
        801Fv9tMhoHdLANVJs+kntKsF9Y21i1CZX94FOldcSDHVeoBvbJAgkGXoHSHtTN9
        iUDhIbEUkVbPFZy6IuIsNDBAlfQvHd+Qu6bpADkCgYEA4eWoHifMPJi7bg6mUFdu
        mR8Iuob3B/xGFGNI3GzaIfBPasbgtBWKsmIeQ0Rz5UDxsbx6VQ9Gh0Ev6VeNCt67
        Nvz/OLqGgmnlUc+JRkWrUJlEt+LYuBpGLc+YegfrcYztSDhlr3w/1RWrp9mTDCmL
        YwcXeXWRAGeWaSWuy1DwH10CgYAa8m5XXgFLW+ZWOZKWbyQ078SvIJ+T0Po1obwS
        Cq0pQzfh1Lu1ZU7Trly3cRxF+rg53f6ac2RLfPb/xwKarG1UlKEukzihGRhlsMu5
        X0almUGCU1GnReUstOL+kwqZ355gLfsgwXibCyffxyzrJF9OxO/7vJ/bg9MwPajB
        SyWdSQKBgF7P3RJn2Y+mEx/tVIveqWaqKAG3ZKGK7hW8Ey0owr6qbM5ytkUa1A+F
        wr2PDVX73HRvt/fLuquTWWe4SaYHX7Z+fzFT/43ACs8RHyl98EBKCsgLPqHpQe9L
        LonGj4pqiV9uuf9Iud29L8o5YY5mih2DTJXgoHKIjjRzgZDA3bSm
        -----END RSA PRIVATE KEY-----
        """
}
