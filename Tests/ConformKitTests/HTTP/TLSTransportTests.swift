import Foundation
import Testing
import X509

@testable import ConformHTTP
@testable import ConformKit

/// HTTPS through the transport against the embedded mock served with certificates made for each case:
/// the facts of a good handshake, and each reason a handshake fails, in words.
@Suite(.temporaryDirectories) struct TLSTransportTests {
    private static func serve(_ tls: MockTLS) async throws -> MockServer {
        try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: tls)
    }

    private static func fetch(
        _ server: MockServer, trusting roots: [Certificate] = [], options: TLSClientOptions? = nil, host: String? = nil
    ) async throws -> Exchange {
        let options = options ?? TLSClientOptions(additionalTrustRoots: roots, useSystemTrustRoots: false)
        let transport = try TransportTest.transport(tls: options)
        let url = URL(string: "https://\(host ?? "127.0.0.1"):\(server.port)/unknown")!
        let exchange = await transport.send(TransportTest.request(url))
        await transport.shutdown()
        await server.stop()
        return exchange
    }

    @Test func aTrustedMockCertificateGivesTheFacts() async throws {
        let certificate = try MockCertificate.selfSigned()
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate)), trusting: [certificate.certificate])
        #expect(exchange.failure == nil)
        #expect(exchange.response?.status == 404)
        let facts = try #require(exchange.tls)
        #expect(facts.version == "TLS 1.3")
        #expect(
            ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"].contains(
                facts.cipherSuite ?? ""))
        #expect(facts.alpn == "http/1.1")
        #expect(facts.subject == "O=conform,CN=conform mock")
        #expect(facts.issuer == "O=conform,CN=conform mock")
        #expect(facts.subjectAlternativeNames == ["localhost", "127.0.0.1", "::1"])
        #expect(facts.notBefore == certificate.certificate.notValidBefore)
        #expect(facts.notAfter == certificate.certificate.notValidAfter)
        #expect(exchange.timing.tls != nil)
        #expect(exchange.timing.metrics.contains { $0.name == "tls_ms" })
    }

    @Test func aTLS12ServerNamesItsCipher() async throws {
        let certificate = try MockCertificate.selfSigned()
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate, maximumVersion: .tls12)),
            trusting: [certificate.certificate])
        #expect(exchange.failure == nil)
        #expect(exchange.tls?.version == "TLS 1.2")
        #expect(exchange.tls?.cipherSuite?.hasPrefix("TLS_ECDHE_ECDSA_WITH_") == true)
    }

    @Test func theNameLocalhostIsResolvedAndVerified() async throws {
        let certificate = try MockCertificate.selfSigned()
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate)), trusting: [certificate.certificate],
            host: "localhost")
        #expect(exchange.failure == nil)
        #expect(exchange.timing.dns != nil)
    }

    @Test func anUnknownIssuerSuggestsCACert() async throws {
        let authority = try MockCertificate.selfSigned(commonName: "untrusted CA", isAuthority: true)
        let leaf = try authority.issue(commonName: "server")
        let exchange = try await Self.fetch(try await Self.serve(MockTLS(certificate: leaf)))
        #expect(
            exchange.failure
                == .tls(TLSFailure(.unknownIssuer, subject: "O=conform,CN=server", issuer: "O=conform,CN=untrusted CA"))
        )
        #expect(
            exchange.failure?.description
                == "TLS failed: unknown issuer: the certificate chain does not lead to a trusted root; if the server uses a private CA, trust it with --cacert (subject O=conform,CN=server, issuer O=conform,CN=untrusted CA)"
        )
    }

    @Test func anUntrustedSelfSignedCertificate() async throws {
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: try MockCertificate.selfSigned())))
        #expect(
            exchange.failure
                == .tls(
                    TLSFailure(.selfSigned, subject: "O=conform,CN=conform mock", issuer: "O=conform,CN=conform mock")))
    }

    @Test func anExpiredCertificateSaysWhen() async throws {
        let authority = try MockCertificate.selfSigned(commonName: "test CA", isAuthority: true)
        let expiry = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13:20 UTC
        let leaf = try authority.issue(
            commonName: "old", notBefore: expiry.addingTimeInterval(-86400), notAfter: expiry)
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: leaf)), trusting: [authority.certificate])
        #expect(
            exchange.failure?.description
                == "TLS failed: expired: the certificate expired on 2023-11-14 22:13:20 UTC (subject O=conform,CN=old, issuer O=conform,CN=test CA)"
        )
    }

    @Test func aCertificateNotYetValid() async throws {
        let authority = try MockCertificate.selfSigned(commonName: "test CA", isAuthority: true)
        let start = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        let leaf = try authority.issue(
            commonName: "future", notBefore: start, notAfter: start.addingTimeInterval(86400))
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: leaf)), trusting: [authority.certificate])
        #expect(
            exchange.failure
                == .tls(TLSFailure(.notYetValid(start), subject: "O=conform,CN=future", issuer: "O=conform,CN=test CA"))
        )
        #expect(
            exchange.failure?.description.hasPrefix(
                "TLS failed: not yet valid: the certificate is valid from 2100-01-01 00:00:00 UTC") == true)
    }

    @Test func aCertificateForAnotherName() async throws {
        let authority = try MockCertificate.selfSigned(commonName: "test CA", isAuthority: true)
        let leaf = try authority.issue(commonName: "elsewhere", names: ["api.example.com", "10.9.8.7"])
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: leaf)), trusting: [authority.certificate])
        #expect(
            exchange.failure?.description
                == "TLS failed: name mismatch: the certificate is for api.example.com, 10.9.8.7, not 127.0.0.1 (subject O=conform,CN=elsewhere, issuer O=conform,CN=test CA)"
        )
    }

    /// BoringSSL still speaks TLS 1.0 and 1.1 when asked to, so a server limited to them can be played.
    @Test func aServerWithoutACommonVersion() async throws {
        let certificate = try MockCertificate.selfSigned()
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate, maximumVersion: .tls11)),
            trusting: [certificate.certificate])
        #expect(exchange.failure == .tls(TLSFailure(.protocolVersion)))
        #expect(
            exchange.failure?.description
                == "TLS failed: protocol version: the server and conform share no TLS version (conform offers TLS 1.2 and 1.3 unless a suite accepts older ones with \"tls\": {\"minimum_version\": …})"
        )
    }

    @Test func insecureSkipsVerificationButKeepsTheFacts() async throws {
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: try MockCertificate.selfSigned(names: ["other.example"]))),
            options: TLSClientOptions(useSystemTrustRoots: false, insecure: true))
        #expect(exchange.failure == nil)
        #expect(exchange.tls?.subjectAlternativeNames == ["other.example"])
    }

    @Test func sslCertFileReplacesTheSystemBundle() async throws {
        let certificate = try MockCertificate.selfSigned()
        let path = TestPaths.temporaryDirectory().appendingPathComponent("ca.pem").path
        try certificate.writePEM(to: path)
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate)),
            options: TLSClientOptions(environment: ["SSL_CERT_FILE": path]))
        #expect(exchange.failure == nil)
    }

    /// A bundle that cannot be read is said before a run to an https target (exit 2), not met later as every
    /// server's "unknown issuer"; a run against an embedded mock does not need it.
    @Test func anUnreadableSSLCertFileIsSaidBeforeAnHTTPSRun() async throws {
        let folder = TestPaths.temporaryDirectory()
        let missing = folder.appendingPathComponent("missing.pem").path
        #expect(throws: TransportSetupError.unreadableCACertificates(path: "\(missing) (SSL_CERT_FILE)", reason: "no such file")) {
            try TLSClient.checkSystemBundle(TLSClientOptions(environment: ["SSL_CERT_FILE": missing]))
        }
        #expect(throws: TransportSetupError.unreadableCACertificates(path: "\(folder.path) (SSL_CERT_FILE)", reason: "it is a folder, not a regular file")) {
            try TLSClient.checkSystemBundle(TLSClientOptions(environment: ["SSL_CERT_FILE": folder.path]))
        }
        let live = await runConform([TestPaths.suite("pitchpoint.json")], arguments: { $0.baseURL = "https://127.0.0.1:1" },
            environment: ["SSL_CERT_FILE": missing, "PITCHPOINT_REFRESH_TOKEN": "rt-long-enough"])
        #expect(live.status == .invalid)
        #expect(live.stderr == "conform: error: cannot read the CA certificates in \(missing) (SSL_CERT_FILE): no such file\n")
        let mock = await runConform([TestPaths.suite("pitchpoint.json")], environment: ["SSL_CERT_FILE": missing])
        #expect(mock.status == .passed)
    }

    /// Certificates are read like every input: a FIFO is refused without waiting on it.
    @Test func aCACertThatIsAFIFOIsRefused() throws {
        let fifo = try TestPaths.fifo(in: TestPaths.temporaryDirectory(), named: "ca.pem")
        #expect(throws: TransportSetupError.unreadableCACertificates(path: fifo, reason: "it is a FIFO (named pipe), not a regular file")) {
            try TLSClient(TLSClientOptions(caCertificatePaths: [fifo], environment: [:]))
        }
    }

    @Test func caCertAddsTrust() async throws {
        let certificate = try MockCertificate.selfSigned()
        let path = TestPaths.temporaryDirectory().appendingPathComponent("ca.pem").path
        try certificate.writePEM(to: path)
        let exchange = try await Self.fetch(
            try await Self.serve(MockTLS(certificate: certificate)),
            options: TLSClientOptions(caCertificatePaths: [path], environment: [:]))
        #expect(exchange.failure == nil)
    }

    @Test func mutualTLSPresentsTheClientCertificate() async throws {
        let serverCertificate = try MockCertificate.selfSigned()
        let clientAuthority = try MockCertificate.selfSigned(commonName: "client CA", isAuthority: true)
        let client = try clientAuthority.issue(commonName: "conform client", names: [])
        let directory = TestPaths.temporaryDirectory()
        let certificatePath = directory.appendingPathComponent("client.pem").path
        let keyPath = directory.appendingPathComponent("client.key").path
        try client.writePEM(to: certificatePath)
        try client.writeKeyPEM(to: keyPath)
        let tls = MockTLS(certificate: serverCertificate, clientAuthorities: [clientAuthority.certificate])

        let accepted = try await Self.fetch(
            try await Self.serve(tls),
            options: TLSClientOptions(
                additionalTrustRoots: [serverCertificate.certificate], useSystemTrustRoots: false,
                clientCertificatePath: certificatePath, clientKeyPath: keyPath))
        #expect(accepted.failure == nil)
        #expect(accepted.response?.status == 404)

        // In TLS 1.2 the server refuses during the handshake. (In TLS 1.3 the client's handshake is over
        // before the server checks; its alert races with the close of the connection, and may be lost.)
        var tls12 = tls
        tls12.maximumVersion = .tls12
        let refused = try await Self.fetch(try await Self.serve(tls12), trusting: [serverCertificate.certificate])
        #expect(refused.failure?.kind == "tls")
        #expect(
            refused.failure?.description
                == "TLS failed: client certificate required: the server requires a client certificate (mutual TLS) that it accepts"
        )
    }

    @Test func setUpProblemsAreNamed() throws {
        let directory = TestPaths.temporaryDirectory()
        let missing = directory.appendingPathComponent("missing.pem").path
        #expect(throws: TransportSetupError.unreadableCACertificates(path: missing, reason: "no such file")) {
            try TransportTest.transport(tls: TLSClientOptions(caCertificatePaths: [missing]))
        }
        let notPEM = directory.appendingPathComponent("not.pem").path
        try "hello".write(toFile: notPEM, atomically: true, encoding: .utf8)
        #expect(throws: TransportSetupError.invalidCACertificates(path: notPEM, reason: "it holds no PEM certificate"))
        {
            try TransportTest.transport(tls: TLSClientOptions(caCertificatePaths: [notPEM]))
        }
        let one = try MockCertificate.selfSigned()
        let other = try MockCertificate.selfSigned()
        let certificatePath = directory.appendingPathComponent("one.pem").path
        let keyPath = directory.appendingPathComponent("other.key").path
        try one.writePEM(to: certificatePath)
        try other.writeKeyPEM(to: keyPath)
        #expect(throws: TransportSetupError.clientKeyMismatch(certificatePath: certificatePath, keyPath: keyPath)) {
            try TransportTest.transport(
                tls: TLSClientOptions(clientCertificatePath: certificatePath, clientKeyPath: keyPath))
        }
        #expect(
            TransportSetupError.clientKeyMismatch(certificatePath: "c.pem", keyPath: "k.pem").description
                == "the key k.pem is not the private key of the certificate c.pem")
    }

    /// BoringSSL's texts carry source paths; only the reason token is used, and mapped to words.
    @Test func libraryErrorTextIsMappedByItsReasonToken() {
        let text =
            "Error: 268436526 error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION at /src/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/tls_record.cc:592"
        #expect(TLSFailure.reasonToken(in: text) == "TLSV1_ALERT_PROTOCOL_VERSION")
        #expect(TLSFailure.reason(for: "TLSV1_ALERT_PROTOCOL_VERSION") == .protocolVersion)
        #expect(TLSFailure.reason(for: "TLSV1_ALERT_CERTIFICATE_REQUIRED") == .clientCertificateRequired)
    }
}
