import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// What one exchange on a connection came to, with the instants the handler saw.
struct ExchangeOutcome: Sendable {
    var response: HTTPResponseSnapshot?
    var failure: TransportFailure?
    /// The socket took the last byte of the request.
    var written: ContinuousClock.Instant?
    /// The first byte of the response arrived.
    var firstByte: ContinuousClock.Instant?
    var end: ContinuousClock.Instant
    /// The connection may carry another request.
    var keepAlive = false
    /// The connection closed (or was reset) before a single response byte: a reused connection's request
    /// may then be sent again if it is idempotent (RFC 9110 §9.2.2). Set only with `closedWithoutResponse`
    /// or `connectionReset`, never with `cancelled`.
    var closedBeforeAnyByte = false
    /// The pooled connection was found closed before anything was written.
    var stale = false
}

/// Runs one exchange at a time on its connection, on the connection's event loop: writes the prepared
/// bytes, reads the response with a ``ResponseParser``, bounds the exchange by its deadline, and notices
/// a close while the connection is idle. Also waits for the TLS handshake of a new connection.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct InFlight {
        var promise: EventLoopPromise<ExchangeOutcome>
        var parser: ResponseParser
        var written: ContinuousClock.Instant?
        var firstByte: ContinuousClock.Instant?
        var timeout: Scheduled<Void>?
    }

    private var context: ChannelHandlerContext?
    /// The channel's loop, kept after the handler leaves the pipeline.
    private var eventLoop: (any EventLoop)?
    private var inFlight: InFlight?
    private var handshake: (promise: EventLoopPromise<String?>, timeout: Scheduled<Void>?)?
    /// The peer closed, reset or sent something unasked: the connection must not be used again.
    private(set) var isClosed = false
    private let timeoutSeconds: Double
    /// Set by the certificate verification of this connection: why it refused the server's chain.
    let handshakeNotes: HandshakeNotes

    init(timeoutSeconds: Double, handshakeNotes: HandshakeNotes = HandshakeNotes()) {
        self.timeoutSeconds = timeoutSeconds
        self.handshakeNotes = handshakeNotes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `request` and reads one response. A reused connection (`checkLiveness`) found closed is
    /// `stale` and nothing is written; a new one found closed fails the request.
    func execute(
        _ request: ByteBuffer, parser: ResponseParser, deadline: NIODeadline, checkLiveness: Bool
    ) -> EventLoopFuture<ExchangeOutcome> {
        guard let context else {
            // The handler left the pipeline: the channel is closed.
            return eventLoop!.makeSucceededFuture(Self.foundClosed(reused: checkLiveness))
        }
        let promise = context.eventLoop.makePromise(of: ExchangeOutcome.self)
        if checkLiveness, !isLive(context.channel) {
            isClosed = true
            promise.succeed(ExchangeOutcome(end: .now, stale: true))
            context.close(promise: nil)
            return promise.futureResult
        }
        precondition(inFlight == nil, "one exchange at a time per connection")
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            fail(.timedOut(seconds: timeoutSeconds))
        }
        inFlight = InFlight(promise: promise, parser: parser, timeout: timeout)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success:
                inFlight?.written = .now
            case .failure(let error):
                // The peer closed or reset first; the inbound side says how, unless it already did.
                fail(error: error)
            }
        }
        context.writeAndFlush(wrapOutboundOut(request), promise: written)
        return promise.futureResult
    }

    /// The outcome for a connection closed before its request was written. Only a reused connection is
    /// stale (closed while idle in the pool, to be replaced at no cost); a new one that the server closed
    /// at once has answered the request with a close, and taking it for stale would open new connections
    /// until the deadline.
    private static func foundClosed(reused: Bool) -> ExchangeOutcome {
        if reused { return ExchangeOutcome(end: .now, stale: true) }
        return ExchangeOutcome(failure: .closedWithoutResponse, end: .now, closedBeforeAnyByte: true)
    }

    /// Waits for the TLS handshake (NIOSSL's handler is added after this call); the ALPN protocol.
    func awaitHandshake(deadline: NIODeadline) -> EventLoopFuture<String?> {
        guard let context else {
            return eventLoop!.makeFailedFuture(TransportFailure.tls(TLSFailure(.closedDuringHandshake)))
        }
        let promise = context.eventLoop.makePromise(of: String?.self)
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            failHandshake(TransportFailure.tls(TLSFailure(.handshakeTimedOut(seconds: timeoutSeconds))))
        }
        handshake = (promise, timeout)
        return promise.futureResult
    }

    /// Fails the exchange in flight with `.cancelled` and closes the connection.
    func cancel() {
        failHandshake(TransportFailure.cancelled)
        fail(.cancelled)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard var exchange = inFlight else {
            // Bytes nobody asked for: the connection's framing can no longer be trusted.
            isClosed = true
            context.close(promise: nil)
            return
        }
        if exchange.firstByte == nil {
            exchange.firstByte = .now
            // An http:// URL of a TLS port: the server's first bytes are a TLS record (an alert), which no
            // HTTP response starts with. After a TLS handshake the bytes here are decrypted.
            if exchange.parser.receivedBytes == 0, TransportFailure.startsWithTLSRecord(buffer) {
                inFlight = exchange
                fail(.wrongScheme(serverSpeaksTLS: true, suggestion: ""))
                return
            }
        }
        do {
            let progress = try exchange.parser.feed(&buffer)
            inFlight = exchange
            if case .complete = progress { finish(exchange) }
        } catch {
            inFlight = exchange
            fail(error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let alpn) = event, let handshake {
            self.handshake = nil
            handshake.timeout?.cancel()
            handshake.promise.succeed(alpn)
            return
        }
        if case ChannelEvent.inputClosed = event { closedByPeer() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closedByPeer()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOSSLError, error == .uncleanShutdown {
            // A server that closes without close_notify: the close itself decides (length until close).
            return
        }
        if handshake != nil {
            failHandshake(error)
        } else {
            fail(error: error)
        }
        isClosed = true
        context.close(promise: nil)
    }

    private func closedByPeer() {
        isClosed = true
        if handshake != nil {
            failHandshake(
                handshakeNotes.take().map { TransportFailure.tls($0) }
                    ?? TransportFailure.tls(TLSFailure(.closedDuringHandshake)))
        }
        guard var exchange = inFlight else { return }
        do {
            try exchange.parser.finishAtClose()
            inFlight = exchange
            finish(exchange)
        } catch {
            inFlight = exchange
            fail(error)
        }
    }

    private func finish(_ exchange: InFlight) {
        inFlight = nil
        exchange.timeout?.cancel()
        let parser = exchange.parser
        let end = ContinuousClock.now
        var outcome = ExchangeOutcome(
            response: Self.snapshot(parser), written: exchange.written ?? exchange.firstByte ?? end,
            firstByte: exchange.firstByte, end: end)
        outcome.keepAlive = parser.keepsAlive && parser.leftover == 0 && !isClosed
        if !outcome.keepAlive {
            isClosed = true
            context?.close(promise: nil)
        }
        exchange.promise.succeed(outcome)
    }

    /// Fails the exchange in flight, if any, and closes the connection.
    private func fail(_ failure: TransportFailure) {
        guard let exchange = inFlight else { return }
        inFlight = nil
        exchange.timeout?.cancel()
        isClosed = true
        let received = exchange.parser.receivedBytes
        var outcome = ExchangeOutcome(
            response: Self.snapshot(exchange.parser), failure: failure, written: exchange.written,
            firstByte: exchange.firstByte, end: .now)
        if failure.code == .closedWithoutResponse || failure.code == .connectionReset {
            outcome.closedBeforeAnyByte = received == 0
        }
        context?.close(promise: nil)
        exchange.promise.succeed(outcome)
    }

    private func fail(error: any Error) {
        guard let exchange = inFlight else { return }
        if exchange.parser.endsAtReset,
            TransportFailure.socketFailure(error, target: "", timeout: timeoutSeconds) == .connectionReset
        {
            // A close-delimited body ends at the close, and a reset after some of it closes as well as a
            // FIN does (a server that closes with the request unread resets).
            closedByPeer()
            return
        }
        fail(classify(error, parser: exchange.parser))
    }

    private func failHandshake(_ error: any Error) {
        guard let handshake else { return }
        self.handshake = nil
        handshakeNotes.handshakeEnded()
        handshake.timeout?.cancel()
        isClosed = true
        let failure: TransportFailure
        if handshakeNotes.serverAnsweredInPlainHTTP {
            // An https:// URL of a plain-HTTP server: whatever the TLS library made of the answer, it was HTTP.
            failure = .wrongScheme(serverSpeaksTLS: false, suggestion: "")
        } else if let verification = handshakeNotes.take() {
            failure = .tls(verification)
        } else if let transportFailure = error as? TransportFailure {
            failure = transportFailure
        } else if var tlsFailure = TLSFailure.from(error) {
            // TLS 1.2 has no certificate_required alert: a server that asked for a client certificate and
            // then failed the handshake refused conform's (or its absence).
            if handshakeNotes.serverAskedForACertificate, case .alert = tlsFailure.reason {
                tlsFailure = TLSFailure(.clientCertificateRequired)
            }
            failure = .tls(tlsFailure)
        } else {
            failure =
                TransportFailure.socketFailure(error, target: "", timeout: timeoutSeconds)
                ?? .tls(TLSFailure(.other("the handshake failed")))
        }
        handshake.promise.fail(failure)
        context?.close(promise: nil)
    }

    /// Names an error met during an exchange, from how far the response had come.
    private func classify(_ error: any Error, parser: ResponseParser) -> TransportFailure {
        if let failure = error as? TransportFailure { return failure }
        if let tlsFailure = TLSFailure.from(error) { return .tls(tlsFailure) }
        let headReceived = parser.head != nil
        let truncated = TransportFailure.truncatedBody(
            received: parser.body.readableBytes,
            expected: { if case .length(let length) = parser.framing { return length } else { return nil } }())
        switch TransportFailure.socketFailure(error, target: "", timeout: timeoutSeconds) {
        case let failure? where failure.code == .connectionReset:
            if headReceived { return truncated }
            return parser.receivedBytes == 0
                ? .connectionReset : .malformedResponse("the connection was reset in the middle of the response head")
        case let failure?:
            return failure
        case nil:
            if headReceived { return truncated }
            if case ChannelError.ioOnClosedChannel = error { return .closedWithoutResponse }
            if case ChannelError.alreadyClosed = error { return .closedWithoutResponse }
            if let ioError = error as? IOError {
                return .other("the connection failed: \(String(cString: strerror(ioError.errnoCode)))")
            }
            return .other("the connection failed")
        }
    }

    /// The response as far as it came: its head and the body read so far.
    private static func snapshot(_ parser: ResponseParser) -> HTTPResponseSnapshot? {
        guard let head = parser.head else { return nil }
        return HTTPResponseSnapshot(
            status: head.status, reason: head.reason, headers: head.headers,
            body: Data(parser.body.readableBytesView), httpVersion: "HTTP/\(head.version.major).\(head.version.minor)")
    }

    /// Open for business: not closed by the peer as far as the handler saw, and (on Linux) the kernel's
    /// TCP state is still ESTABLISHED, which catches a FIN not yet read.
    private func isLive(_ channel: any Channel) -> Bool {
        guard !isClosed, channel.isActive else { return false }
        #if os(Linux)
            if let provider = channel as? any SocketOptionProvider {
                var established = true
                provider.getTCPInfo().assumeIsolated().whenSuccess { established = $0.tcpi_state == 1 }
                return established
            }
        #endif
        return true
    }
}
