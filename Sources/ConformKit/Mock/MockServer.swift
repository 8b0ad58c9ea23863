import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server (SwiftNIO) on loopback that serves one vendor mock.
///
/// Embedded in `conform run` on an ephemeral port, or standalone with `conform mock VENDOR`.
public final class MockServer: Sendable {
    public let baseURL: URL
    public let port: Int
    public let credentials: MockCredentials
    private let channel: any Channel

    private init(channel: any Channel, port: Int, host: String, credentials: MockCredentials) {
        self.channel = channel
        self.port = port
        self.credentials = credentials
        self.baseURL = URL(string: "http://\(host):\(port)")!
    }

    /// Binds and starts serving; port 0 picks a free port.
    public static func start(
        _ endpoint: any MockEndpoint, configuration: MockConfiguration, host: String = "127.0.0.1", port: Int = 0
    ) async throws -> MockServer {
        let delay = configuration.responseDelay
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(endpoint: endpoint, delay: delay))
                }
            }
            .bind(host: host, port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        return MockServer(channel: channel, port: boundPort, host: host, credentials: endpoint.credentials)
    }

    public func stop() async {
        try? await channel.close()
    }

    /// Resolves when the server channel closes.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
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
