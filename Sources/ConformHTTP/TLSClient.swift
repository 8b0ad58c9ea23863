import ConformSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// The TLS side of the transport: one NIOSSL context for every connection, the trust roots, and the
/// verification of each server's chain with swift-certificates, so that a refused handshake says why.
package final class TLSClient: Sendable {
    private let configuration: TLSConfiguration
    /// Made on the first https connection: a run over plain http never loads the TLS library's code
    /// (a few MiB of resident memory).
    private let context = NIOLockedValueBox<NIOSSLContext?>(nil)
    private let insecure: Bool
    let extraRoots: [Certificate]
    let systemBundlePath: String?
    /// The system's roots are read on the first https connection, not at start-up.
    let roots = NIOLockedValueBox<TrustRoots?>(nil)
    /// How far the search for a path to a trusted root may go.
    let pathSearchLimits: CertificatePathSearch.Limits
    let verifications = RunningVerifications()
    /// The threads that verify servers' certificates (``verify(_:host:notes:deadline:timeout:answering:)``).
    let verificationPool = NIOLockedValueBox<NIOThreadPool?>(nil)

    package init(_ options: TLSClientOptions) throws(TransportSetupError) {
        var extraRoots = options.additionalTrustRoots
        for path in options.caCertificatePaths {
            extraRoots += try Self.readBundle(path)
        }
        self.extraRoots = extraRoots
        self.insecure = options.insecure
        self.systemBundlePath = options.useSystemTrustRoots ? options.systemBundlePath : nil
        self.pathSearchLimits = options.pathSearchLimits
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion =
            switch options.minimumVersion {
            case .tls10: .tlsv1
            case .tls11: .tlsv11
            case .tls12: .tlsv12
            case .tls13: .tlsv13
            }
        configuration.applicationProtocols = ["http/1.1"]
        // Chain, dates and name are checked in `verify`; BoringSSL's own check is replaced by it.
        configuration.certificateVerification = options.insecure ? .none : .noHostnameVerification
        configuration.trustRoots = .certificates([])
        switch (options.clientCertificatePath, options.clientKeyPath) {
        case (nil, nil):
            break
        case (let certificatePath?, let keyPath?):
            let (chain, key) = try Self.readIdentity(certificatePath: certificatePath, keyPath: keyPath)
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        default:
            throw .incompleteClientIdentity
        }
        self.configuration = configuration
    }

    /// A client dropped without ``shutdown()`` still stops its verification threads (NIO requires it).
    deinit {
        verificationPool.withLockedValue { $0 }?.shutdownGracefully { _ in }
    }

    /// The bundle `SSL_CERT_FILE` names is read on the first https connection; one that cannot be read is
    /// said before the run (exit 2), not met later as every server's "unknown issuer". Checked for runs that
    /// go to a live https target only: an embedded mock never needs the system's roots.
    package static func checkSystemBundle(_ options: TLSClientOptions) throws(TransportSetupError) {
        guard options.useSystemTrustRoots, let path = options.environment["SSL_CERT_FILE"], !path.isEmpty else {
            return
        }
        do {
            try InputFile.check(path)
        } catch {
            throw .unreadableCACertificates(path: "\(path) (SSL_CERT_FILE)", reason: error.description)
        }
    }

    private func sslContext() throws -> NIOSSLContext {
        try context.withLockedValue { context in
            if let context { return context }
            let made = try NIOSSLContext(configuration: configuration)
            context = made
            return made
        }
    }

    /// The handlers of a new connection to `host`, in pipeline order: the ServerHello observer, then the
    /// TLS handler. SNI is sent for names, never for IP literals (RFC 6066 §3). The server's certificates
    /// are verified by `deadline`, the end of the exchange's `timeout`.
    func handlers(
        host: String, notes: HandshakeNotes, deadline: NIODeadline, timeout: Double
    ) throws -> (ServerHelloObserver, NIOSSLClientHandler) {
        let serverName = IPAddressText.isLiteral(host) ? nil : host
        let context = try sslContext()
        let handler: NIOSSLClientHandler
        if insecure {
            handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        } else {
            handler = try NIOSSLClientHandler(
                context: context, serverHostname: serverName,
                customVerificationCallbackWithMetadata: { [self] presented, promise in
                    verify(
                        presented, host: host, notes: notes, deadline: deadline, timeout: timeout, answering: promise)
                })
        }
        return (ServerHelloObserver(notes: notes), handler)
    }

    /// What the handshake negotiated, from the TLS handler, the observed ServerHello and the leaf.
    static func facts(version: TLSVersion?, cipherSuite: UInt16?, alpn: String?, leaf: NIOSSLCertificate?) -> TLSFacts {
        let certificate = leaf.flatMap { try? Certificate(derEncoded: $0.toDERBytes()) }
        let versionText: String =
            switch version {
            case .tlsv1?: "TLS 1.0"
            case .tlsv11?: "TLS 1.1"
            case .tlsv12?: "TLS 1.2"
            case .tlsv13?: "TLS 1.3"
            case nil: "unknown"
            }
        return TLSFacts(
            version: versionText, cipherSuite: cipherSuite.map(ServerHelloObserver.name(of:)), alpn: alpn,
            subject: certificate?.subject.description, issuer: certificate?.issuer.description,
            subjectAlternativeNames: certificate.map(names(of:)) ?? [], notBefore: certificate?.notValidBefore,
            notAfter: certificate?.notValidAfter)
    }

    static func readBundle(_ path: String) throws(TransportSetupError) -> [Certificate] {
        let text: String
        switch pemText(path) {
        case .success(let read): text = read
        case .failure(let reason): throw .unreadableCACertificates(path: path, reason: reason.description)
        }
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw .invalidCACertificates(path: path, reason: "it holds no PEM certificate")
        }
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() where document.discriminator == "CERTIFICATE" {
            do {
                certificates.append(try Certificate(pemDocument: document))
            } catch {
                throw .invalidCACertificates(path: path, reason: "certificate \(index + 1) cannot be decoded")
            }
        }
        guard !certificates.isEmpty else {
            throw .invalidCACertificates(path: path, reason: "it holds no PEM certificate")
        }
        return certificates
    }

    /// A PEM file's text, read like every input conform is given: a regular file of bounded size, in UTF-8.
    private static func pemText(_ path: String) -> Result<String, PEMFileProblem> {
        do {
            let data = try InputFile.read(path)
            guard UTF8Validation.firstInvalidOffset(in: data) == nil else { return .failure(.notUTF8) }
            return .success(String(decoding: data, as: UTF8.self))
        } catch {
            return .failure(.unreadable(error))
        }
    }

    private static func readIdentity(
        certificatePath: String, keyPath: String
    ) throws(TransportSetupError) -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let certificateText: String
        let keyText: String
        switch pemText(certificatePath) {
        case .success(let read): certificateText = read
        case .failure(let reason): throw .invalidClientCertificate(path: certificatePath, reason: reason.description)
        }
        switch pemText(keyPath) {
        case .success(let read): keyText = read
        case .failure(let reason): throw .invalidClientKey(path: keyPath, reason: reason.description)
        }
        guard let leafDocument = try? PEMDocument.parseMultiple(pemString: certificateText).first,
            let leaf = try? Certificate(pemDocument: leafDocument),
            let chain = try? NIOSSLCertificate.fromPEMBytes(Array(certificateText.utf8)), !chain.isEmpty
        else {
            throw .invalidClientCertificate(path: certificatePath, reason: "it holds no PEM certificate")
        }
        guard let key = try? Certificate.PrivateKey(pemEncoded: keyText),
            let nioKey = try? NIOSSLPrivateKey(bytes: Array(keyText.utf8), format: .pem)
        else {
            throw .invalidClientKey(path: keyPath, reason: "it holds no PEM private key conform can use")
        }
        guard key.publicKey == leaf.publicKey else {
            throw .clientKeyMismatch(certificatePath: certificatePath, keyPath: keyPath)
        }
        return (chain, nioKey)
    }
}

/// IP literals as text.
enum IPAddressText {
    static func isLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// `127.0.0.1` or `::1` from 4 or 16 bytes.
    static func format(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard bytes.count == 4 || bytes.count == 16,
            bytes.withUnsafeBytes({ inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }) != nil
        else { return bytes.map { String($0) }.joined(separator: ".") }
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Why a PEM file could not be read, in words.
enum PEMFileProblem: Error, CustomStringConvertible {
    case unreadable(InputFileError)
    case notUTF8

    var description: String {
        switch self {
        case .unreadable(let error): error.description
        case .notUTF8: "it is not UTF-8 text"
        }
    }
}
