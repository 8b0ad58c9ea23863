import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The TLS side of the transport: one NIOSSL context for every connection, the trust roots, and the
/// verification of each server's chain with swift-certificates, so that a refused handshake says why.
final class TLSClient: Sendable {
    private let configuration: TLSConfiguration
    /// Made on the first https connection: a run over plain http never loads the TLS library's code
    /// (a few MiB of resident memory).
    private let context = NIOLockedValueBox<NIOSSLContext?>(nil)
    private let insecure: Bool
    private let extraRoots: [Certificate]
    private let systemBundlePath: String?
    /// The system's roots are read on the first https connection, not at start-up.
    private let roots = NIOLockedValueBox<CertificateStore?>(nil)

    init(_ options: TLSClientOptions) throws(TransportSetupError) {
        var extraRoots = options.additionalTrustRoots
        for path in options.caCertificatePaths {
            extraRoots += try Self.readBundle(path)
        }
        self.extraRoots = extraRoots
        self.insecure = options.insecure
        self.systemBundlePath = options.useSystemTrustRoots ? options.systemBundlePath : nil
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

    /// The bundle `SSL_CERT_FILE` names is read on the first https connection; one that cannot be read is
    /// said before the run (exit 2), not met later as every server's "unknown issuer". Checked for runs that
    /// go to a live https target only: an embedded mock never needs the system's roots.
    static func checkSystemBundle(_ options: TLSClientOptions) throws(TransportSetupError) {
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
    /// TLS handler. SNI is sent for names, never for IP literals (RFC 6066 §3).
    func handlers(host: String, notes: HandshakeNotes) throws -> (ServerHelloObserver, NIOSSLClientHandler) {
        let serverName = IPAddressText.isLiteral(host) ? nil : host
        let context = try sslContext()
        let handler: NIOSSLClientHandler
        if insecure {
            handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        } else {
            handler = try NIOSSLClientHandler(
                context: context, serverHostname: serverName,
                customVerificationCallbackWithMetadata: { [self] presented, promise in
                    verify(presented, host: host, notes: notes, answering: promise)
                })
        }
        return (ServerHelloObserver(notes: notes), handler)
    }

    /// Verifies on the connection's event loop, as the exchange itself runs: on Swift's shared pool the
    /// verification would wait for a thread that other work in the process (the checks of other samples)
    /// may hold, and the handshake would look slow for the client's sake, not the server's.
    private func verify(
        _ presented: [NIOSSLCertificate], host: String, notes: HandshakeNotes,
        answering promise: EventLoopPromise<NIOSSLVerificationResultWithMetadata>
    ) {
        let verification: @Sendable () async -> Void = { [self] in
            switch await verify(presented, host: host) {
            case .success:
                promise.succeed(.certificateVerified(VerificationMetadata(nil)))
            case .failure(let reason):
                notes.set(reason)
                promise.succeed(.failed)
            }
        }
        if #available(macOS 15.0, *) {
            Task(executorPreference: EventLoopTaskExecutor(promise.futureResult.eventLoop), operation: verification)
        } else {
            Task(operation: verification)
        }
    }

    /// Read once, under one lock: two first handshakes at once would otherwise both parse the system's
    /// bundle (some hundreds of certificates); the second now waits for the first's store.
    private func trustRoots() -> CertificateStore {
        roots.withLockedValue { cached in
            if let cached { return cached }
            var certificates = extraRoots
            if let systemBundlePath, let bundle = try? Self.readBundle(systemBundlePath) { certificates += bundle }
            let store = CertificateStore(certificates)
            cached = store
            return store
        }
    }

    /// Verifies the chain the server presented: leads to a trusted root, every certificate within its
    /// dates, and the leaf for `host`. The failure names the first of these that does not hold.
    func verify(_ presented: [NIOSSLCertificate], host: String) async -> Result<Void, TLSFailure> {
        let certificates = presented.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
        guard let leaf = certificates.first, certificates.count == presented.count else {
            return .failure(TLSFailure(.other("the server's certificate cannot be decoded")))
        }
        let now = Date()
        let roots = trustRoots()
        let intermediates = CertificateStore(certificates.dropFirst())
        let isIP = IPAddressText.isLiteral(host)
        var verifier = Verifier(rootCertificates: roots) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: isIP ? nil : host, serverIP: isIP ? host : nil)
        }
        let about = (subject: leaf.subject.description, issuer: leaf.issuer.description)
        guard case .couldNotValidate(let failures) = await verifier.validate(leaf: leaf, intermediates: intermediates)
        else { return .success(()) }
        guard let chain = failures.first?.chain else {
            let reason: TLSFailure.Reason = leaf.subject == leaf.issuer ? .selfSigned : .unknownIssuer
            return .failure(TLSFailure(reason, subject: about.subject, issuer: about.issuer))
        }
        for certificate in chain {
            if now > certificate.notValidAfter {
                return .failure(
                    TLSFailure(
                        .expired(certificate.notValidAfter), subject: certificate.subject.description,
                        issuer: certificate.issuer.description))
            }
            if now < certificate.notValidBefore {
                return .failure(
                    TLSFailure(
                        .notYetValid(certificate.notValidBefore), subject: certificate.subject.description,
                        issuer: certificate.issuer.description))
            }
        }
        var chainOnly = Verifier(rootCertificates: roots) { RFC5280Policy() }
        if case .validCertificate = await chainOnly.validate(leaf: leaf, intermediates: intermediates) {
            return .failure(
                TLSFailure(
                    .nameMismatch(host: host, names: Self.names(of: leaf)), subject: about.subject,
                    issuer: about.issuer))
        }
        // swift-certificates' own reason text embeds its type descriptions; it is not shown.
        return .failure(
            TLSFailure(
                .other(
                    "the certificate chain breaks a rule of RFC 5280 (such as an issuer that is not marked as a CA, or a key usage that does not allow signing)"
                ), subject: about.subject, issuer: about.issuer))
    }

    /// The certificate's subject alternative names: DNS names and IP addresses as text.
    static func names(of certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let octets): IPAddressText.format(Array(octets.bytes))
            case .uniformResourceIdentifier(let uri): uri
            case .rfc822Name(let mail): mail
            default: nil
            }
        }
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

    private static func readBundle(_ path: String) throws(TransportSetupError) -> [Certificate] {
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
