import ConformHTTP
import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its P-256 key, made at start-up for serving a mock over HTTPS.
///
/// The default is a self-signed authority for `localhost`, `127.0.0.1` and `::1`, valid from an hour ago for 90
/// days (past the 30-day expiry warning of a suite's TLS policy): a client trusts exactly it (``TLSClientOptions/additionalTrustRoots``, or its PEM written with
/// ``writePEM(to:)`` for `--cacert` and curl), never needing `--insecure`. Tests also make authorities and
/// the certificates they issue: expired, for another name, from an authority nobody trusts.
struct MockCertificate: Sendable {
    let certificate: Certificate
    /// The key, as swift-certificates signs with it, and as PEM for the TLS library.
    let key: Certificate.PrivateKey
    let privateKeyPEM: String

    /// The names the default certificate is for.
    static let loopbackNames = ["localhost", "127.0.0.1", "::1"]

    /// A self-signed certificate (a leaf, or an authority that issues others).
    static func selfSigned(
        commonName: String = "conform mock", names: [String] = loopbackNames, notBefore: Date? = nil,
        notAfter: Date? = nil, isAuthority: Bool = false
    ) throws -> MockCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(commonName); OrganizationName("conform")
        }
        return try make(
            key: key, subject: name, names: names, notBefore: notBefore, notAfter: notAfter,
            isAuthority: isAuthority, issuerName: name, issuerKey: Certificate.PrivateKey(key))
    }

    /// A certificate issued (signed) by this one, which must be an authority.
    func issue(
        commonName: String, names: [String] = loopbackNames, notBefore: Date? = nil, notAfter: Date? = nil,
        isAuthority: Bool = false
    ) throws -> MockCertificate {
        let name = try DistinguishedName {
            CommonName(commonName); OrganizationName("conform")
        }
        return try Self.make(
            key: P256.Signing.PrivateKey(), subject: name, names: names, notBefore: notBefore, notAfter: notAfter,
            isAuthority: isAuthority, issuerName: certificate.subject, issuerKey: key)
    }

    private static func make(
        key: P256.Signing.PrivateKey, subject: DistinguishedName, names: [String], notBefore: Date?,
        notAfter: Date?, isAuthority: Bool, issuerName: DistinguishedName, issuerKey: Certificate.PrivateKey
    ) throws -> MockCertificate {
        let now = Date()
        let alternativeNames = names.map { name -> GeneralName in
            if let bytes = IPBytes.parse(name) { return .ipAddress(ASN1OctetString(contentBytes: bytes[...])) }
            return .dnsName(name)
        }
        // A self-signed certificate is its own authority: verifiers take a trust anchor only if it is one.
        let authority = isAuthority || subject == issuerName
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
        }
        let leafExtensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore ?? now.addingTimeInterval(-3600),
            notValidAfter: notAfter ?? now.addingTimeInterval(90 * 24 * 3600), issuer: issuerName, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: authority ? extensions : leafExtensions,
            issuerPrivateKey: issuerKey)
        return MockCertificate(
            certificate: certificate, key: Certificate.PrivateKey(key), privateKeyPEM: key.pemRepresentation)
    }

    /// The certificate as PEM.
    var certificatePEM: String {
        (try? certificate.serializeAsPEM().pemString) ?? ""
    }

    /// Writes the certificate's PEM, for other clients (`curl --cacert`, conform's `--cacert`).
    func writePEM(to path: String) throws {
        try certificatePEM.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Writes the private key's PEM (for a client certificate in tests).
    func writeKeyPEM(to path: String) throws {
        try privateKeyPEM.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// DER bytes, for the TLS library.
    var derBytes: [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}

/// How a mock serves HTTPS: its certificate (and the issuers to present with it), whose client
/// certificates it requires, and the highest TLS version it speaks.
struct MockTLS: Sendable {
    enum Version: Sendable {
        case tls11, tls12, tls13
    }

    var certificate: MockCertificate
    /// Presented after the certificate: intermediates.
    var chain: [MockCertificate]
    /// When set, a client must present a certificate issued by one of these (mutual TLS).
    var clientAuthorities: [Certificate]?
    var maximumVersion: Version?

    init(
        certificate: MockCertificate, chain: [MockCertificate] = [], clientAuthorities: [Certificate]? = nil,
        maximumVersion: Version? = nil
    ) {
        self.certificate = certificate
        self.chain = chain
        self.clientAuthorities = clientAuthorities
        self.maximumVersion = maximumVersion
    }
}
