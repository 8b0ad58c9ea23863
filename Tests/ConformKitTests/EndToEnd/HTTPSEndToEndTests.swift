import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// Live endpoints are HTTPS: the shipped suites over TLS (`--mock-tls`, `conform mock --tls` with
/// `--cacert`), trust from `SSL_CERT_FILE`, `--insecure` said everywhere, client certificates, a suite's
/// TLS policy, and proxies from the environment or `--proxy`, counted at a proxy on loopback.
@Suite(.temporaryDirectories) struct HTTPSEndToEndTests {
    /// A vendor mock served over HTTPS in the test, with its certificate's PEM written for `--cacert`.
    private struct HTTPSMock {
        let server: MockServer
        let certificatePath: String
        let folder: URL

        static func start(_ name: String, tls: MockTLS? = nil) async throws -> HTTPSMock {
            let certificate = try MockCertificate.selfSigned()
            let folder = TestPaths.temporaryDirectory()
            let path = folder.appendingPathComponent("mock.pem").path
            try (tls?.certificate ?? certificate).writePEM(to: path)
            let definition = try #require(MockRegistry.named(name))
            let server = try await MockServer.start(
                definition.endpoint(MockConfiguration()), configuration: MockConfiguration(),
                tls: tls ?? MockTLS(certificate: certificate))
            return HTTPSMock(server: server, certificatePath: path, folder: folder)
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(arguments: ["pitchpoint.json", "concur.json", "oauth2.json"])
    func shippedSuitesPassWithMockTLS(file: String) async throws {
        let outcome = await runConform([TestPaths.suite(file)]) {
            $0.mockTLS = true
            $0.format = .json
        }
        #expect(outcome.status == .passed)
        #expect(outcome.stderr.contains("embedded mock \(file.dropLast(5)) at https://127.0.0.1:"))
        #expect(outcome.stderr.contains("  tls: TLS 1.3, TLS_AES_128_GCM_SHA256, ALPN http/1.1; certificate O=conform,CN=conform mock, self-signed, for localhost, 127.0.0.1, ::1, valid until "))
        #expect(outcome.reportText.contains(#"<property name="conform.tls.version" value="TLS 1.3"/>"#))
        #expect(outcome.reportText.contains(#"<property name="conform.tls.cipher_suite" value="TLS_AES_128_GCM_SHA256"/>"#))
        #expect(outcome.reportText.contains(#"<property name="conform.tls.subject_alternative_names" value="localhost, 127.0.0.1, ::1"/>"#))
        #expect(outcome.stdout.contains(#""alpn" : "http/1.1""#))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    @Test func mockTLSIsForTheEmbeddedMockOnly() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.mockTLS = true
            $0.baseURL = "https://127.0.0.1:1"
        }
        #expect(outcome.status == .invalid)
        #expect(outcome.stderr.hasPrefix("conform: error: --mock-tls applies to the embedded mock only, not to --base-url or --live\n"))
    }

    @Test func aStandaloneHTTPSMockIsTrustedWithCACertOrSSLCertFileAndRefusedWithout() async throws {
        let mock = try await HTTPSMock.start("pitchpoint")
        let environment = mock.server.credentials.environment
        let trusted = await runConform([TestPaths.suite("pitchpoint.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
            $0.caCertificatePaths = [mock.certificatePath]
        }, environment: environment)
        #expect(trusted.status == .passed)
        let fromEnvironment = await runConform([TestPaths.suite("pitchpoint.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
        }, environment: environment.merging(["SSL_CERT_FILE": mock.certificatePath]) { $1 })
        #expect(fromEnvironment.status == .passed)
        let refused = await runConform([TestPaths.suite("pitchpoint.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
        }, environment: environment)
        await mock.stop()
        #expect(refused.status == .failed)
        #expect(
            refused.stdout.contains(
                "error [tls]: TLS failed: self-signed: the server's certificate signed itself and is not trusted; trust it with --cacert (subject O=conform,CN=conform mock, issuer O=conform,CN=conform mock)"
            ))
        #expect(!refused.everything.contains(".cc:"), "a library source path reached the output")
    }

    @Test func insecureIsSaidOnTheConsoleAndInEveryReport() async throws {
        let mock = try await HTTPSMock.start("pitchpoint")
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = folder.appendingPathComponent("summary.md")
        let html = folder.appendingPathComponent("report.html")
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
            $0.insecure = true
            $0.htmlReportPath = html.path
            $0.format = .json
        }, environment: mock.server.credentials.environment.merging(["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path]) { $1 })
        await mock.stop()
        let warning = "--insecure: server certificates were not verified (chain, dates, names); this run proves nothing about the endpoint's TLS"
        #expect(outcome.status == .passed)
        #expect(outcome.stderr.hasPrefix("conform: warning: \(warning)\n"))
        #expect(outcome.stderr.contains("  warning [tls]: \(warning)\n"))
        #expect(outcome.reportText.contains(#"<property name="conform.warning.1" value="tls: \#(warning)"/>"#))
        #expect(outcome.stdout.contains(#""warnings" : [\#n        {\#n          "check" : "tls.insecure",\#n          "label" : "tls",\#n          "message" : "\#(warning)""#))
        #expect(try String(contentsOf: html, encoding: .utf8).contains(warning))
        #expect(try String(contentsOf: summary, encoding: .utf8).contains("> **Warning:** \(warning)"))
    }

    @Test func aClientCertificateIsPresentedForMutualTLS() async throws {
        let serverCertificate = try MockCertificate.selfSigned()
        let authority = try MockCertificate.selfSigned(commonName: "client CA", isAuthority: true)
        let client = try authority.issue(commonName: "conform client", names: [])
        let mock = try await HTTPSMock.start(
            "pitchpoint", tls: MockTLS(certificate: serverCertificate, clientAuthorities: [authority.certificate]))
        let certificate = mock.folder.appendingPathComponent("client.pem").path
        let key = mock.folder.appendingPathComponent("client.key").path
        try client.writePEM(to: certificate)
        try client.writeKeyPEM(to: key)
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
            $0.caCertificatePaths = [mock.certificatePath]
            $0.clientCertificatePath = certificate
            $0.clientKeyPath = key
        }, environment: mock.server.credentials.environment)
        let halfIdentity = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = mock.server.baseURL.absoluteString
            $0.clientCertificatePath = certificate
        }, environment: mock.server.credentials.environment)
        await mock.stop()
        #expect(outcome.status == .passed)
        #expect(halfIdentity.status == .invalid)
        #expect(halfIdentity.stderr.hasPrefix("conform: error: "))
        #expect(halfIdentity.stderr.contains("a client certificate needs its private key, and a key its certificate: give both"))
    }

    @Test func theSuitesTLSPolicyWarnsOfExpiryAndFailsOldVersions() async throws {
        let soon = try MockCertificate.selfSigned(notAfter: Date().addingTimeInterval(10 * 86_400 + 3600))
        let expiring = try await HTTPSMock.start("pitchpoint", tls: MockTLS(certificate: soon))
        let warned = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = expiring.server.baseURL.absoluteString
            $0.caCertificatePaths = [expiring.certificatePath]
        }, environment: expiring.server.credentials.environment)
        await expiring.stop()
        #expect(warned.status == .passed)
        #expect(warned.stdout.contains("warning [tls]: the certificate expires on \(TLSFacts.day(soon.certificate.notValidAfter)) (10 days left); conform warns 30 days ahead"))

        var old = MockTLS(certificate: try MockCertificate.selfSigned())
        old.maximumVersion = .tls11
        let legacy = try await HTTPSMock.start("pitchpoint", tls: old)
        let failed = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = legacy.server.baseURL.absoluteString
            $0.caCertificatePaths = [legacy.certificatePath]
        }, environment: legacy.server.credentials.environment)
        // The suite may lower the bar.
        let text = try String(contentsOfFile: TestPaths.fixtureSuite("pitchpoint-refresh-only.json"), encoding: .utf8)
            .replacingOccurrences(of: #""cases": ["#, with: #""tls": {"minimum_version": "1.1", "expiry_warning_days": 0}, "cases": ["#)
        let lowered = TestPaths.writeSuite(text)
        let accepted = await runConform([lowered], arguments: {
            $0.baseURL = legacy.server.baseURL.absoluteString
            $0.caCertificatePaths = [legacy.certificatePath]
        }, environment: legacy.server.credentials.environment)
        await legacy.stop()
        #expect(failed.status == .failed)
        #expect(failed.stdout.contains(#"error [tls]: TLS failed: protocol version: the server and conform share no TLS version (conform offers TLS 1.2 and 1.3 unless a suite accepts older ones with "tls": {"minimum_version": …})"#))
        #expect(accepted.status == .passed)
    }

    @Test func proxiesFromTheEnvironmentAndFromTheCommandLineSeeEveryRequest() async throws {
        let plain = try await StartedMock.start("pitchpoint")
        let proxy = try TestProxy()
        let viaEnvironment = await runConform([TestPaths.suite("pitchpoint.json")], arguments: {
            $0.baseURL = plain.baseURL
        }, environment: plain.environment.merging(["HTTP_PROXY": proxy.url(credentials: "user:proxy-pass-1")]) { $1 })
        #expect(viaEnvironment.status == .passed)
        #expect(proxy.forwarded == plain.recorder.requestCount)
        #expect(proxy.heads.allSatisfy { $0.contains("Proxy-Authorization: Basic ") })
        #expect(!viaEnvironment.everything.contains("proxy-pass-1"))
        let countBefore = proxy.forwarded
        let requestsBefore = plain.recorder.requestCount
        let bypassed = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = plain.baseURL
        }, environment: plain.environment.merging(["HTTP_PROXY": proxy.url(), "NO_PROXY": "127.0.0.1"]) { $1 })
        #expect(bypassed.status == .passed)
        // NO_PROXY lists the target: its requests reach the mock, none through the proxy.
        #expect(plain.recorder.requestCount > requestsBefore)
        #expect(proxy.forwarded == countBefore)
        await plain.server.stop()

        let secure = try await HTTPSMock.start("pitchpoint")
        let viaFlag = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], arguments: {
            $0.baseURL = secure.server.baseURL.absoluteString
            $0.caCertificatePaths = [secure.certificatePath]
            $0.proxy = proxy.url()
        }, environment: secure.server.credentials.environment)
        await secure.stop()
        #expect(viaFlag.status == .passed)
        #expect(proxy.tunnels == 1)
        #expect(proxy.forwarded == countBefore)
        proxy.stop()
    }

    @Test func theEmbeddedMockIsNeverReachedThroughAProxy() async throws {
        let proxy = try TestProxy()
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")], environment: ["HTTP_PROXY": proxy.url(), "HTTPS_PROXY": proxy.url()])
        #expect(outcome.status == .passed)
        #expect(proxy.forwarded == 0 && proxy.tunnels == 0)
        proxy.stop()
    }
}
