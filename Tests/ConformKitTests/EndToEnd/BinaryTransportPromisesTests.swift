import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformJSON
@testable import ConformKit
@testable import ConformSupport

/// Promises of the README about the transport, each seen where a user sees it: the real binary against
/// servers and proxies on loopback. Their components have unit tests of their own (`ProxyTests`,
/// `TLSCheckTests`, `TLSTransportTests`, `HTTPTransportTests`, `HARTests`).
@Suite(.temporaryDirectories) struct BinaryTransportPromisesTests {
    private static let refreshOnly = TestPaths.fixtureSuite("pitchpoint-refresh-only.json")

    /// Runs the one-case Pitchpoint suite against `baseURL` with the binary.
    private static func run(
        _ baseURL: String, _ extra: [String] = [], environment: [String: String] = [:], token: String = "made-up"
    ) async throws -> ConformBinary.Result {
        try await ConformBinary.run(
            ["run", refreshOnly, "--base-url", baseURL, "--junit", TestPaths.temporaryDirectory().path + "/r.xml"]
                + extra, environment: environment.merging(["PITCHPOINT_REFRESH_TOKEN": token]) { $1 })
    }

    /// The case got its 200, so the exchange worked, TLS included. (The exit status also counts the latency
    /// budget, which a loaded machine can miss.)
    private static func answered(_ result: ConformBinary.Result) -> Bool {
        result.stdout.contains("refresh with valid token (200, ")
    }

    // MARK: - NO_PROXY

    /// `NO_PROXY=126.0.0.0/7` covers 127.0.0.1, a range that does not end on an octet boundary: the request
    /// goes straight to the mock. `128.0.0.0/7` does not, and the request goes through the proxy.
    @Test func aCIDRRangeOffTheOctetBoundaryDecidesWhatBypassesTheProxy() async throws {
        let mock = try await StartedMock.start("pitchpoint")
        let proxy = try TestProxy()
        defer { proxy.stop() }
        let token = mock.environment["PITCHPOINT_REFRESH_TOKEN"] ?? ""
        for (range, throughProxy) in [("126.0.0.0/7", 0), ("172.16.0.0/12,126.0.0.0/7", 0), ("128.0.0.0/7", 1)] {
            let before = proxy.forwarded
            let result = try await Self.run(
                mock.baseURL, environment: ["HTTP_PROXY": proxy.url(), "NO_PROXY": range], token: token)
            #expect(Self.answered(result), "\(range): \(result.stdout)")
            #expect(proxy.forwarded - before == throughProxy, "NO_PROXY=\(range)")
        }
        await mock.server.stop()
        #expect(mock.recorder.requestCount == 3)
    }

    /// A suite of one case, `GET /` expecting `status`, against `baseURL`: it needs no credential, so that
    /// one run can take several of them, one per target.
    private static func probe(_ name: String, _ baseURL: String, status: Int = 404) -> String {
        TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "\(name)", "base_url": "\(baseURL)", "defaults": { "latency_budget_ms": 60000 },
              "cases": [ { "name": "get", "request": { "method": "GET", "path": "/" }, "expect": { "status": \(status) } } ]
            }
            """, name: "\(name).json")
    }

    /// `NO_PROXY=conform.invalid` covers the domain and its subdomains, with or without a leading dot, and not
    /// a name that merely ends in the same letters. A bypassed name is resolved by conform itself (and
    /// `.invalid` never resolves); a proxied one goes to the proxy, which conform does not resolve for.
    @Test func aNoProxyDomainCoversItsSubdomainsOnly() async throws {
        let proxy = try TestProxy()
        defer { proxy.stop() }
        let cases: [(noProxy: String, direct: [String: Bool])] = [
            ("conform.invalid", ["api.conform.invalid": true, "conform.invalid": true, "notconform.invalid": false]),
            (".conform.invalid", ["api.conform.invalid": true, "notconform.invalid": false]),
        ]
        for (noProxy, direct) in cases {
            let before = proxy.heads.count
            let suites = direct.keys.sorted().map { Self.probe($0, "http://\($0):9") }
            let result = try await ConformBinary.run(
                ["run"] + suites + ["--junit", TestPaths.temporaryDirectory().path + "/r.xml"],
                environment: ["HTTP_PROXY": proxy.url(), "NO_PROXY": noProxy])
            #expect(result.status == 1)
            let heads = proxy.heads.dropFirst(before)
            for (host, isDirect) in direct {
                let resolved = result.stdout.contains("error [name-resolution]: cannot resolve host \(host)\n")
                #expect(resolved == isDirect, "NO_PROXY=\(noProxy), \(host)")
                let proxied = heads.filter { $0.hasPrefix("GET http://\(host):9/ ") }.count
                #expect(proxied == (isDirect ? 0 : 1), "NO_PROXY=\(noProxy), \(host)")
            }
        }
    }

    // MARK: - TLS

    /// A server with `certificate`, for the binary to trust with `--cacert` at the returned path.
    private static func serve(
        _ certificate: MockCertificate, authority: MockCertificate? = nil
    ) async throws
        -> (MockServer, String)
    {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("ca.pem").path
        try (authority ?? certificate).writePEM(to: path)
        let server = try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: MockTLS(certificate: certificate))
        return (server, path)
    }

    /// The expiry warning counts whole days left: 30 days and an hour is outside the 30-day window, 30
    /// days less an hour inside it (29 days left).
    @Test func theExpiryWarningStartsAtTheWindowNotADayEarly() async throws {
        let outside = try MockCertificate.selfSigned(notAfter: Date().addingTimeInterval((30 * 24 + 1) * 3600))
        let inside = try MockCertificate.selfSigned(notAfter: Date().addingTimeInterval((30 * 24 - 1) * 3600))
        let (outsideServer, outsidePath) = try await Self.serve(outside)
        let (insideServer, insidePath) = try await Self.serve(inside)
        let result = try await ConformBinary.run([
            "run", Self.probe("outside", outsideServer.baseURL.absoluteString),
            Self.probe("inside", insideServer.baseURL.absoluteString), "--cacert", outsidePath, "--cacert",
            insidePath, "--junit", TestPaths.temporaryDirectory().path + "/r.xml",
        ])
        await outsideServer.stop()
        await insideServer.stop()
        #expect(result.status == 0)
        let day = TLSFacts.day(inside.certificate.notValidAfter)
        let warnings = result.stdout.split(separator: "\n").filter { $0.contains("warning [tls]") }
        #expect(
            warnings == [
                "        warning [tls]: the certificate expires on \(day) (29 days left); conform warns 30 days ahead"
            ])
        #expect(result.stdout.contains("inside: 1 case: 1 passed, 0 failed, 0 errors, 0 skipped; 1 warning;"))
        #expect(
            result.stdout.contains("valid until \(TLSFacts.day(outside.certificate.notValidAfter)) (30 days left)\n"))
        #expect(result.stdout.contains("outside: 1 case: 1 passed, 0 failed, 0 errors, 0 skipped; 0 warnings;"))
    }

    /// A certificate that expired an hour ago (seen with `--insecure`) has expired: the warning says so and
    /// the report has -1 days left, never "0 days left".
    @Test func aCertificateExpiredAnHourAgoSaysExpired() async throws {
        let certificate = try MockCertificate.selfSigned(
            notBefore: Date().addingTimeInterval(-2 * 86_400), notAfter: Date().addingTimeInterval(-3600))
        let (server, _) = try await Self.serve(certificate)
        let report = TestPaths.temporaryDirectory().appendingPathComponent("report.xml").path
        let result = try await ConformBinary.run(
            ["run", Self.refreshOnly, "--base-url", server.baseURL.absoluteString, "--insecure", "--junit", report],
            environment: ["PITCHPOINT_REFRESH_TOKEN": server.credentials.value("PITCHPOINT_REFRESH_TOKEN")])
        await server.stop()
        #expect(Self.answered(result))
        let day = TLSFacts.day(certificate.certificate.notValidAfter)
        #expect(
            result.stdout.contains(
                "warning [tls]: the certificate expires on \(day) (expired); conform warns 30 days ahead"))
        #expect(result.stdout.contains("valid until \(day) (-1 days left)"))
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        #expect(xml.contains(#"<property name="conform.tls.days_left" value="-1"/>"#))
    }

    /// The certificate must be for the host in the URL: the same trusted certificate for `localhost` passes
    /// at https://localhost and fails at https://127.0.0.1, naming the names it is for.
    @Test func theCertificateMustNameTheHost() async throws {
        let authority = try MockCertificate.selfSigned(commonName: "test CA", isAuthority: true)
        let leaf = try authority.issue(commonName: "local", names: ["localhost"])
        let (server, path) = try await Self.serve(leaf, authority: authority)
        let result = try await ConformBinary.run([
            "run", Self.probe("by-name", "https://localhost:\(server.port)"),
            Self.probe("by-address", "https://127.0.0.1:\(server.port)"), "--cacert", path, "--junit",
            TestPaths.temporaryDirectory().path + "/r.xml",
        ])
        await server.stop()
        #expect(result.status == 1)
        #expect(result.stdout.contains("by-name: 1 case: 1 passed, 0 failed, 0 errors, 0 skipped;"))
        #expect(result.stdout.contains("by-address: 1 case: 0 passed, 0 failed, 1 error, 0 skipped;"))
        let errors = result.stdout.split(separator: "\n").filter { $0.contains("error [tls]") }
        #expect(
            errors == [
                "        error [tls]: TLS failed: name mismatch: the certificate is for localhost, not 127.0.0.1 (subject O=conform,CN=local, issuer O=conform,CN=test CA)"
            ])
    }

    /// HAR 1.2's `connect` holds the TLS handshake, which `ssl` shows alone: over https, each new
    /// connection's `connect` is at least its `ssl`, and every entry's phases add up to its time.
    @Test func harConnectIncludesTheTLSHandshake() async throws {
        let har = TestPaths.temporaryDirectory().appendingPathComponent("run.har").path
        let result = try await ConformBinary.run([
            "run", Self.refreshOnly, "--mock-tls", "--har", har, "--junit",
            TestPaths.temporaryDirectory().path + "/r.xml",
        ])
        #expect(Self.answered(result))
        guard case .object(let root)? = JSONValue.decode(try InputFile.read(har)), case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"]
        else { throw Failure("no entries in the HAR") }
        var handshakes = 0
        for entry in entries {
            guard case .object(let fields) = entry, case .object(let timings)? = fields["timings"],
                case .number(let time)? = fields["time"], case .number(let connect)? = timings["connect"],
                case .number(let ssl)? = timings["ssl"]
            else { throw Failure("an entry without timings") }
            if ssl >= 0 {
                handshakes += 1
                #expect(ssl > 0)
                #expect(connect >= ssl)
            }
            let phases = ["blocked", "dns", "connect", "send", "wait", "receive"].compactMap { name -> Double? in
                if case .number(let value)? = timings[name], value >= 0 { return value } else { return nil }
            }
            #expect(abs(phases.reduce(0, +) - time) < 0.01, "phases \(phases) do not add up to \(time)")
        }
        #expect(handshakes >= 1)
    }

    // MARK: - Resending

    /// A POST that meets a reused keep-alive connection closed before any answer is not sent again (RFC 9110
    /// §9.2.2): the case is an error that says so, and the server saw the request once.
    @Test func aPostIsNeverResent() async throws {
        let ok = ScriptedServer.response(body: "fine")
        let server = try ScriptedServer { connection in
            connection == 0 ? [.readRequest, .write(ok), .readRequest, .close] : [.readRequest, .write(ok), .hold]
        }
        defer { server.stop() }
        let suite = TestPaths.writeSuite(
            """
            {
              "format": 1, "name": "posts", "defaults": { "latency_budget_ms": 60000 },
              "cases": [
                { "name": "first post", "request": { "method": "POST", "path": "/token", "form": { "n": "1" } }, "expect": { "status": 200 } },
                { "name": "second post", "request": { "method": "POST", "path": "/token", "form": { "n": "2" } }, "expect": { "status": 200 } }
              ]
            }
            """)
        let result = try await ConformBinary.run(["run", suite, "--base-url", server.url().absoluteString])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  PASS  first post (200, "))
        #expect(
            result.stdout.contains(
                "error [reused-connection-closed]: the server closed a reused keep-alive connection before answering; POST is not idempotent, so it was not resent (RFC 9110 §9.2.2)"
            ))
        #expect(server.connections == 1)
        #expect(server.requests == 2)
    }
}
