import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// Proxies: which requests go through one (environment, override, NO_PROXY), absolute-form for http,
/// CONNECT for https, refusals, and credentials that never show.
@Suite struct ProxyTests {
    @Test func upperCaseWinsAndNoProxyIsParsed() throws {
        let configuration = try ProxyConfiguration.fromEnvironment([
            "HTTPS_PROXY": "http://upper:3128", "https_proxy": "http://lower:3128", "http_proxy": "lower-http:8080",
            "no_proxy": "example.com, .internal.test,10.0.0.0/8,192.168.1.7,[::1]:8443,localhost:9000",
        ])
        #expect(configuration.httpsProxy?.endpoint == "upper:3128")
        #expect(configuration.httpProxy?.endpoint == "lower-http:8080")
        let proxied = { (scheme: String, host: String, port: Int) in
            configuration.proxy(scheme: scheme, host: host, port: port) != nil
        }
        #expect(!proxied("https", "example.com", 443))
        #expect(!proxied("https", "api.example.com", 443))
        #expect(proxied("https", "notexample.com", 443))
        #expect(!proxied("https", "a.internal.test", 443))
        #expect(!proxied("https", "internal.test", 443))
        #expect(!proxied("https", "10.20.30.40", 443))
        #expect(proxied("https", "11.0.0.1", 443))
        #expect(!proxied("http", "192.168.1.7", 80))
        #expect(!proxied("https", "::1", 8443))
        #expect(proxied("https", "::1", 443))
        #expect(!proxied("http", "localhost", 9000))
        // Unlike Go, loopback is proxied unless NO_PROXY lists it.
        #expect(proxied("http", "127.0.0.1", 80))
        #expect(proxied("http", "localhost", 80))
    }

    /// A CIDR range that does not end on an octet boundary masks the bits of its last octet: the first and
    /// last addresses inside, the neighbours on either side outside.
    @Test(arguments: [
        (
            "172.16.0.0/12", ["172.16.0.0", "172.20.1.2", "172.31.255.255"],
            ["172.15.255.255", "172.32.0.0", "172.0.0.1"]
        ),
        ("126.0.0.0/7", ["126.0.0.0", "127.0.0.1", "127.255.255.255"], ["125.255.255.255", "128.0.0.0"]),
        ("10.1.2.128/25", ["10.1.2.128", "10.1.2.255"], ["10.1.2.127", "10.1.3.128"]),
        ("192.168.0.0/23", ["192.168.0.1", "192.168.1.254"], ["192.168.2.1", "192.167.255.255"]),
        ("fc00::/7", ["fc00::1", "fdff:ffff::1"], ["fbff::1", "fe80::1"]),
    ])
    func aRangeOffTheOctetBoundaryCoversExactlyItsAddresses(range: String, inside: [String], outside: [String]) throws {
        let configuration = try ProxyConfiguration.fromEnvironment(["HTTP_PROXY": "proxy:3128", "NO_PROXY": range])
        for address in inside {
            #expect(configuration.proxy(scheme: "http", host: address, port: 80) == nil, "\(address) is in \(range)")
        }
        for address in outside {
            #expect(
                configuration.proxy(scheme: "http", host: address, port: 80) != nil, "\(address) is not in \(range)")
        }
    }

    @Test func starMeansNoProxyAtAll() throws {
        let configuration = try ProxyConfiguration.fromEnvironment(["HTTP_PROXY": "proxy:1", "NO_PROXY": "*"])
        #expect(configuration.proxy(scheme: "http", host: "anything", port: 80) == nil)
    }

    @Test func theOverrideReplacesBoth() throws {
        let configuration = try ProxyConfiguration.fromEnvironment(
            ["HTTP_PROXY": "http://env:1"], override: "http://override:3128")
        #expect(configuration.httpProxy?.endpoint == "override:3128")
        #expect(configuration.httpsProxy?.endpoint == "override:3128")
    }

    @Test func invalidProxiesAreRefusedWithoutTheirCredentials() {
        #expect(
            throws: TransportSetupError.invalidProxy(
                url: "socks5://***@proxy:1080", reason: "only http:// proxies are supported, not socks5://")
        ) {
            try ProxyConfiguration.fromEnvironment([:], override: "socks5://user:hunter2@proxy:1080")
        }
        #expect(
            TransportSetupError.invalidProxy(
                url: "socks5://***@proxy:1080", reason: "only http:// proxies are supported, not socks5://"
            ).description
                == "invalid proxy socks5://***@proxy:1080: only http:// proxies are supported, not socks5://")
    }

    @Test func credentialsBecomeAHeaderAndSecrets() throws {
        let configuration = try ProxyConfiguration.fromEnvironment([:], override: "http://user:pa%40ss@proxy:3128")
        #expect(configuration.httpProxy?.authorization == "Basic dXNlcjpwYUBzcw==")
        #expect(configuration.secrets.contains("pa@ss"))
        #expect(configuration.secrets.contains("Basic dXNlcjpwYUBzcw=="))
        #expect(configuration.secrets.contains("dXNlcjpwYUBzcw=="))
    }

    @Test func plainHTTPGoesInAbsoluteFormWithCredentials() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write(ScriptedServer.response(body: "via proxy")), .hold,
        ])
        let proxy = try TestProxy()
        defer {
            server.stop()
            proxy.stop()
        }
        let transport = try TransportTest.transport(
            proxy: try ProxyConfiguration.fromEnvironment(["http_proxy": proxy.url(credentials: "user:s3cret")]))
        let exchange = await transport.send(TransportTest.request(server.url("/token?x=1")))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(TransportTest.text(exchange) == "via proxy")
        #expect(exchange.viaProxy == "127.0.0.1:\(proxy.port)")
        #expect(proxy.forwarded == 1)
        #expect(proxy.tunnels == 0)
        #expect(
            proxy.heads.first?.hasPrefix(
                "GET http://127.0.0.1:\(server.port)/token?x=1 HTTP/1.1\r\nProxy-Authorization: Basic dXNlcjpzM2NyZXQ=\r\n"
            )
                == true)
    }

    @Test func httpsGoesThroughConnect() async throws {
        let certificate = try MockCertificate.selfSigned()
        let server = try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: MockTLS(certificate: certificate))
        let proxy = try TestProxy()
        defer { proxy.stop() }
        let transport = try TransportTest.transport(
            tls: TLSClientOptions(additionalTrustRoots: [certificate.certificate], useSystemTrustRoots: false),
            proxy: try ProxyConfiguration.fromEnvironment([:], override: proxy.url()))
        let first = await transport.send(TransportTest.request(server.baseURL.appendingPathComponent("x")))
        let second = await transport.send(TransportTest.request(server.baseURL.appendingPathComponent("y")))
        await transport.shutdown()
        await server.stop()
        #expect(first.failure == nil)
        #expect(first.response?.status == 404)
        #expect(first.tls?.version == "TLS 1.3")
        #expect(second.timing.connection == .reused)
        #expect(proxy.tunnels == 1)
        #expect(
            proxy.heads.first?.hasPrefix(
                "CONNECT 127.0.0.1:\(server.port) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n") == true)
        #expect(first.viaProxy == "127.0.0.1:\(proxy.port)")
        #expect(first.remoteAddress == "127.0.0.1:\(proxy.port)")
    }

    /// RFC 9110 §9.3.6: any 2xx to CONNECT makes the connection a tunnel, whatever its version or
    /// `Connection` header say about keeping an HTTP connection alive.
    @Test(arguments: [
        "HTTP/1.0 200 Connection established\r\n\r\n",
        "HTTP/1.1 200 Connection established\r\nConnection: close\r\n\r\n",
    ])
    func aTunnelStaysOpenWhateverTheTwoHundredSaysAboutKeepAlive(answer: String) async throws {
        let certificate = try MockCertificate.selfSigned()
        let server = try await MockServer.start(
            MockRegistry.named("pitchpoint")!.endpoint(MockConfiguration()), configuration: MockConfiguration(),
            tls: MockTLS(certificate: certificate))
        let proxy = try TestProxy(connectAnswer: answer)
        defer { proxy.stop() }
        let transport = try TransportTest.transport(
            tls: TLSClientOptions(additionalTrustRoots: [certificate.certificate], useSystemTrustRoots: false),
            proxy: try ProxyConfiguration.fromEnvironment([:], override: proxy.url()))
        let exchange = await transport.send(TransportTest.request(server.baseURL.appendingPathComponent("x")))
        await transport.shutdown()
        await server.stop()
        #expect(exchange.failure == nil)
        #expect(exchange.response?.status == 404)
        #expect(exchange.tls?.version == "TLS 1.3")
        #expect(proxy.tunnels == 1)
    }

    @Test func noProxyBypassesTheProxy() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "direct")), .hold])
        let proxy = try TestProxy()
        defer {
            server.stop()
            proxy.stop()
        }
        let transport = try TransportTest.transport(
            proxy: try ProxyConfiguration.fromEnvironment(["HTTP_PROXY": proxy.url(), "NO_PROXY": "127.0.0.0/8"]))
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(TransportTest.text(exchange) == "direct")
        #expect(exchange.viaProxy == nil)
        #expect(proxy.forwarded + proxy.tunnels == 0)
    }

    @Test func aRefusedConnectIsNamedWithoutCredentials() async throws {
        let proxy = try TestProxy(refuseConnect: "407 Proxy Authentication Required")
        defer { proxy.stop() }
        let configuration = try ProxyConfiguration.fromEnvironment(
            ["HTTPS_PROXY": proxy.url(credentials: "agent:t0p-s3cret")])
        let transport = try TransportTest.transport(proxy: configuration)
        let exchange = await transport.send(TransportTest.request(URL(string: "https://api.example.test/token")!))
        await transport.shutdown()
        #expect(
            exchange.failure
                == .proxy("the proxy answered 407 Proxy Authentication Required to CONNECT api.example.test:443"))
        let everything = "\(exchange.failure!) \(exchange.viaProxy ?? "") \(exchange)"
        for secret in ["t0p-s3cret", "YWdlbnQ6dDBwLXMzY3JldA=="] { #expect(!everything.contains(secret), "\(secret)") }
        #expect(Set(configuration.secrets).isSuperset(of: ["t0p-s3cret", "YWdlbnQ6dDBwLXMzY3JldA=="]))
        #expect(proxy.heads.first?.contains("Proxy-Authorization: Basic YWdlbnQ6dDBwLXMzY3JldA==") == true)
    }

    /// A proxy that wants credentials answers a plain-http request itself, as tinyproxy does: 407, a page
    /// delimited by the close, and a reset (it closes with the request's body unread). That is the proxy's
    /// answer, named with what it asks for, not the endpoint's truncated body or its status.
    @Test(arguments: [
        (nil, "the proxy URL carries no credentials"),
        ("agent:t0p-s3cret", "it did not accept the proxy URL's credentials"),
    ])
    func aProxysOwn407ToPlainHTTPIsTheProxysAnswer(credentials: String?, words: String) async throws {
        let proxy = try TestProxy(
            answerRequests:
                "HTTP/1.0 407 Proxy Authentication Required\r\nServer: tinyproxy/1.11.1\r\nContent-Type: text/html\r\nProxy-Authenticate: Basic realm=\"tinyproxy\"\r\nConnection: close\r\n\r\n<html><body><h1>Proxy Authentication Required</h1></body></html>"
        )
        defer { proxy.stop() }
        let configuration = try ProxyConfiguration.fromEnvironment(["http_proxy": proxy.url(credentials: credentials)])
        let transport = try TransportTest.transport(proxy: configuration)
        let exchange = await transport.send(
            TransportTest.request(
                URL(string: "http://api.example.test:8080/token")!, method: "POST",
                body: String(repeating: "grant_type=client_credentials&", count: 100)))
        await transport.shutdown()
        #expect(
            exchange.failure
                == .proxy(
                    "the proxy answered 407 Proxy Authentication Required to POST http://api.example.test:8080/token (it asks for Basic authentication; \(words)); the request did not reach the endpoint"
                ))
        #expect(exchange.failure?.kind == "proxy")
        #expect(exchange.response?.status == 407)
        #expect(exchange.viaProxy == "127.0.0.1:\(proxy.port)")
        #expect(proxy.forwarded == 1)
        #expect(!"\(exchange.failure!)".contains("t0p-s3cret"))
    }

    /// The schemes of `Proxy-Authenticate` challenges: one per element that is not an auth-param, commas in
    /// quoted strings included; at most four, tokens only.
    @Test func theChallengeSchemesAreRead() {
        let headers = [
            ("Proxy-Authenticate", #"Basic realm="a, b=c", Digest realm="x", qop="auth", nonce="\"n,""#),
            ("proxy-authenticate", "Negotiate, NTLM abc=="),
            ("WWW-Authenticate", "Bearer"),
            ("Proxy-Authenticate", "Basic, <script>, Fifth, Sixth"),
        ]
        #expect(
            ProxyConfiguration.Proxy.challengeSchemes(headers.map { (name: $0.0, value: $0.1) })
                == ["Basic", "Digest", "Negotiate", "NTLM"])
    }
}
