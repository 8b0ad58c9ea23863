import NIOCore
import NIOPosix

/// One open connection: its channel, the handler that runs its exchanges, and what its set-up learned
/// (the peer's address, the TLS facts). Safe to pass between tasks; the handler is touched on the
/// channel's event loop only.
final class HTTPConnection: Sendable {
    let channel: any Channel
    let key: ConnectionPool.Key
    private let handler: NIOLoopBound<HTTPConnectionHandler>
    let remoteAddress: String?
    let tls: TLSFacts?

    init(channel: any Channel, key: ConnectionPool.Key, handler: NIOLoopBound<HTTPConnectionHandler>, tls: TLSFacts?) {
        self.channel = channel
        self.key = key
        self.handler = handler
        self.tls = tls
        self.remoteAddress = channel.remoteAddress.flatMap(Self.describe)
    }

    /// Sends a request in HTTP/1.1 and reads one response: in absolute-form with the proxy's credentials when
    /// the connection goes to a plain-http proxy, in origin-form otherwise. The bytes are encoded on the
    /// request's first send and shared by the later ones.
    func send(
        _ request: PreparedRequest, to target: RequestTarget, parser: ResponseParser, deadline: NIODeadline,
        checkLiveness: Bool
    ) -> EventLoopFuture<ExchangeOutcome> {
        let encoded = request.http1.request { HTTP1Request(request, to: target) }
        let bytes =
            key.proxy != nil && target.scheme == .http
            ? encoded.proxyForm(authorization: key.proxy?.authorization) : encoded.originForm
        return execute(bytes, parser: parser, deadline: deadline, checkLiveness: checkLiveness)
    }

    /// Writes the request and reads one response, on the connection's event loop.
    func execute(
        _ request: ByteBuffer, parser: ResponseParser, deadline: NIODeadline, checkLiveness: Bool
    ) -> EventLoopFuture<ExchangeOutcome> {
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            return handler.value.execute(request, parser: parser, deadline: deadline, checkLiveness: checkLiveness)
        }
        return channel.eventLoop.flatSubmit {
            handler.value.execute(request, parser: parser, deadline: deadline, checkLiveness: checkLiveness)
        }
    }

    /// Fails the exchange in flight with `.cancelled` and closes the connection.
    func cancel() {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.cancel() }
    }

    func close() {
        channel.close(promise: nil)
    }

    /// `127.0.0.1:8080` or `[::1]:8443`.
    static func describe(_ address: SocketAddress) -> String? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
