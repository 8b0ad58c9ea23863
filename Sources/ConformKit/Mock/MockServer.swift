import ConformJSON
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwiftASN1

/// A real HTTP/1.1 server (SwiftNIO) on loopback that serves one vendor mock, over HTTPS when given a
/// ``MockTLS`` (the same handler behind NIOSSL's server handler).
///
/// Embedded in `conform run` on an ephemeral port, or standalone with `conform mock VENDOR`.
final class MockServer: Sendable {
    let baseURL: URL
    let port: Int
    let credentials: MockCredentials
    private let channel: any Channel
    /// The event loop the server made for itself, shut down when it stops.
    private let ownGroup: MultiThreadedEventLoopGroup?

    private init(
        channel: any Channel, ownGroup: MultiThreadedEventLoopGroup?, port: Int, baseURL: URL,
        credentials: MockCredentials
    ) {
        self.channel = channel
        self.ownGroup = ownGroup
        self.port = port
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// `http://127.0.0.1:8080`, `http://[::1]:8080`: an IPv6 address is bracketed in a URL (RFC 3986 §3.2.2),
    /// and a zone (`fe80::1%eth0`) is percent-encoded (RFC 6874).
    static func baseURL(host: String, port: Int, secure: Bool) -> URL? {
        let host = bare(host)
        let authority =
            host.contains(":")
            ? "[\(host.replacingOccurrences(of: "%", with: "%25"))]" : host
        return URL(string: "\(secure ? "https" : "http")://\(authority):\(port)")
    }

    /// The address without the brackets a URL puts around IPv6: `[::1]` → `::1`.
    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2 ? String(host.dropFirst().dropLast()) : host
    }

    /// Binds and starts serving; port 0 picks a free port.
    ///
    /// - Parameter group: the event loops to serve on. By default the server makes one loop of its own, so
    ///   that its answers never queue behind other work of the process (another mock, a busy transport);
    ///   the standalone mock passes NIO's shared loops to use every core.
    static func start(
        _ endpoint: any MockEndpoint, configuration: MockConfiguration, host: String = "127.0.0.1", port: Int = 0,
        tls: MockTLS? = nil, group: (any EventLoopGroup)? = nil
    ) async throws -> MockServer {
        let delay = configuration.responseDelay
        let sslContext = try tls.map(Self.sslContext)
        let ownGroup = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        do {
            return try await start(
                endpoint, delay: delay, host: host, port: port, sslContext: sslContext, tls: tls,
                group: group ?? ownGroup!, ownGroup: ownGroup)
        } catch {
            try? await ownGroup?.shutdownGracefully()
            throw error
        }
    }

    private static func start(
        _ endpoint: any MockEndpoint, delay: Duration, host: String, port: Int, sslContext: NIOSSLContext?,
        tls: MockTLS?, group: any EventLoopGroup, ownGroup: MultiThreadedEventLoopGroup?
    ) async throws -> MockServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(MockTLSGate())
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(endpoint: endpoint, delay: delay))
                }
            }
            .bind(host: bare(host), port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        guard let baseURL = baseURL(host: host, port: boundPort, secure: tls != nil) else {
            try? await channel.close()
            throw MockServerError.noURL(host: host)
        }
        return MockServer(
            channel: channel, ownGroup: ownGroup, port: boundPort, baseURL: baseURL,
            credentials: endpoint.credentials.resolvingBaseURL(baseURL))
    }

    private static func sslContext(_ tls: MockTLS) throws -> NIOSSLContext {
        let chain = try ([tls.certificate] + tls.chain).map {
            NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0.derBytes, format: .der))
        }
        let key = try NIOSSLPrivateKey(bytes: Array(tls.certificate.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        if let authorities = tls.clientAuthorities {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(
                try authorities.map { certificate in
                    var serializer = DER.Serializer()
                    try serializer.serialize(certificate)
                    return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
                })
        }
        switch tls.maximumVersion {
        case .tls11?:
            configuration.minimumTLSVersion = .tlsv1
            configuration.maximumTLSVersion = .tlsv11
        case .tls12?: configuration.maximumTLSVersion = .tlsv12
        case .tls13?, nil: break
        }
        return try NIOSSLContext(configuration: configuration)
    }

    func stop() async {
        try? await channel.close()
        try? await ownGroup?.shutdownGracefully()
    }

    /// Resolves when the server channel closes.
    func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}

/// Why a mock server could not start, beyond the socket's own errors.
enum MockServerError: Error, CustomStringConvertible {
    /// The address it listens on makes no URL (it bound, but nothing could reach it by URL).
    case noURL(host: String)

    var description: String {
        switch self {
        case .noURL(let host): "\(JSONValue.quoted(host)) makes no URL"
        }
    }
}

/// Reads one request at a time and writes what the endpoint decides, faults included.
final class MockHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxRequestBody = 1 << 20

    private let endpoint: any MockEndpoint
    private let delay: Duration
    private var head: HTTPRequestHead?
    /// When the request began to arrive: a delay counts from here, so the mock's own work is inside it.
    private var arrival = NIODeadline.now()
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(endpoint: any MockEndpoint, delay: Duration) {
        self.endpoint = endpoint
        self.delay = delay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            arrival = .now()
            body.clear()
            bodyTooLarge = false
        case .body(var part):
            if body.readableBytes + part.readableBytes > Self.maxRequestBody {
                bodyTooLarge = true
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            let response: MockResponse
            var delay = self.delay
            if bodyTooLarge {
                response = .full(
                    status: .payloadTooLarge, contentType: "text/plain", body: Data("request body too large\n".utf8))
            } else {
                let request = Self.request(head, body: body)
                response = endpoint.respond(to: request)
                delay += endpoint.processingTime(for: request)
            }
            if delay > .zero {
                let deadline = arrival + .nanoseconds(Int64(delay.milliseconds * 1_000_000))
                context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                    self.write(response, for: head, context: context)
                }
            } else {
                write(response, for: head, context: context)
            }
        }
    }

    private static func request(_ head: HTTPRequestHead, body: ByteBuffer) -> MockRequest {
        let components = URLComponents(string: head.uri)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] where query[item.name] == nil {
            query[item.name] = item.value ?? ""
        }
        return MockRequest(
            method: head.method.rawValue, path: components?.path ?? head.uri, query: query, headers: head.headers,
            body: Data(body.readableBytesView))
    }

    private func write(_ response: MockResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        switch response {
        case .closeWithoutResponse:
            context.close(promise: nil)
        case .full(let status, let contentType, let body, let extraHeaders):
            var headers = HTTPHeaders()
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            headers.add(name: "Content-Length", value: String(body.count))
            for (name, value) in extraHeaders { headers.add(name: name, value: value) }
            let keepAlive = request.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        case .truncated(let status, let contentType, let body, let declaredLength):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(declaredLength))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body))))).assumeIsolated()
                .whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
