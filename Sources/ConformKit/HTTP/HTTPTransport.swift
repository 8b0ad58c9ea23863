import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// conform's HTTP/1.1 client on SwiftNIO: a keep-alive pool per host, phases timed where they happen,
/// TLS verified by conform so that a refusal says why, and proxies.
///
/// Redirects are not followed (a token endpoint that redirects is reported as such) and responses are not
/// decompressed. The only request ever sent twice is an idempotent one whose reused connection closed
/// before answering (RFC 9110 §9.2.2), and the exchange says so in ``Exchange/resent``.
///
/// For each request: take a connection from the pool (or wait under the per-host limit); for a new one,
/// resolve the name (getaddrinfo on NIO's thread pool), connect, CONNECT through the proxy for https, and
/// do the TLS handshake; then write the request bytes prepared once per case and read the response with
/// ``ResponseParser``. The whole is bounded by `timeoutSeconds`.
public final class HTTPTransport: Transport {
    public let configuration: TransportConfiguration
    public var timeoutSeconds: Double { configuration.timeoutSeconds }
    public var maxBodyBytes: Int { configuration.maxBodyBytes }
    private let group: MultiThreadedEventLoopGroup
    private let pool: ConnectionPool
    private let tls: TLSClient

    /// - Parameter eventLoopThreads: threads for I/O; by default half the cores (at least one): the checks
    ///   of every sample need the rest, and on loopback so does the endpoint.
    public init(_ configuration: TransportConfiguration, eventLoopThreads: Int? = nil) throws(TransportSetupError) {
        self.configuration = configuration
        self.tls = try TLSClient(configuration.tls)
        self.pool = ConnectionPool(limit: configuration.maxConnectionsPerHost)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, eventLoopThreads ?? System.coreCount / 2))
    }

    public func shutdown() async {
        for connection in pool.shutdown() { connection.close() }
        try? await group.shutdownGracefully()
    }

    public func send(_ request: PreparedRequest) async -> Exchange {
        var clock = PhaseClock()
        let wire: RequestWire
        switch request.wire {
        case .failure(let failure):
            return Exchange(request: request, response: nil, failure: failure, timing: clock.timing(end: .now))
        case .success(let prepared):
            wire = prepared
        }
        let proxy = configuration.proxy.proxy(scheme: wire.scheme.rawValue, host: wire.host, port: wire.port)
        let key = ConnectionPool.Key(scheme: wire.scheme, host: wire.host, port: wire.port, proxy: proxy)
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.timeoutSeconds * 1e9))
        let hook = CancellationHook()
        return await withTaskCancellationHandler {
            await exchange(request, wire, key: key, deadline: deadline, clock: &clock, hook: hook)
        } onCancel: {
            hook.cancel()
        }
    }

    private func exchange(
        _ request: PreparedRequest, _ wire: RequestWire, key: ConnectionPool.Key, deadline: NIODeadline,
        clock: inout PhaseClock, hook: CancellationHook
    ) async -> Exchange {
        var resent: String?
        var result = Exchange(request: request, response: nil, failure: nil, timing: ExchangeTiming(total: .zero))
        result.viaProxy = key.proxy?.endpoint
        func finish(_ failure: TransportFailure?, end: ContinuousClock.Instant = .now) -> Exchange {
            result.failure = failure
            result.resent = resent
            result.timing = clock.timing(end: end)
            return result
        }
        while true {
            let connection: HTTPConnection
            let reused: Bool
            switch await pool.acquire(
                key, forceNew: resent != nil, deadline: deadline, loop: group.next(),
                timeout: configuration.timeoutSeconds)
            {
            case .failed(let failure):
                return finish(failure)
            case .reuse(let pooled):
                connection = pooled
                reused = true
                clock.connection = .reused
                clock.begin(.send)
            case .create:
                clock.connection = .new
                clock.begin(.dns)
                do {
                    connection = try await open(key, wire: wire, deadline: deadline, clock: &clock, hook: hook)
                } catch {
                    pool.openFailed(key)
                    return finish(error)
                }
                pool.opened(connection)
                reused = false
                clock.begin(.send)
            }
            result.tls = connection.tls
            result.remoteAddress = connection.remoteAddress
            if hook.isCancelled {
                connection.close()
                return finish(.cancelled)
            }
            let bytes = key.proxy != nil && wire.scheme == .http
                ? wire.proxyForm(authorization: key.proxy?.authorization) : wire.originForm
            hook.set { connection.cancel() }
            let parser = ResponseParser(bodyLimit: configuration.maxBodyBytes, expectsNoBody: wire.expectsNoBody)
            let outcome: ExchangeOutcome
            do {
                outcome = try await connection.execute(bytes, parser: parser, deadline: deadline, checkLiveness: reused)
                    .get()
            } catch {
                outcome = ExchangeOutcome(failure: .other("the connection failed"), end: .now)
            }
            hook.clear()
            if outcome.stale {
                // Closed while idle; nothing was written. The time so far was spent waiting.
                clock.restart()
                continue
            }
            pool.release(connection, reusable: outcome.keepAlive && !wire.asksToClose && outcome.failure == nil)
            if reused, outcome.closedBeforeAnyByte, resent == nil, outcome.failure != .cancelled {
                guard wire.isIdempotent else { return finish(.reusedConnectionClosed(method: wire.method)) }
                resent = Exchange.resentNote
                clock.restart()
                continue
            }
            if let written = outcome.written { clock.begin(.wait, at: written) }
            if let firstByte = outcome.firstByte { clock.begin(.download, at: firstByte) }
            result.response = outcome.response
            return finish(outcome.failure, end: outcome.end)
        }
    }

    /// Opens a connection: name resolution, TCP connect, the proxy's CONNECT for https, the TLS handshake.
    private func open(
        _ key: ConnectionPool.Key, wire: RequestWire, deadline: NIODeadline, clock: inout PhaseClock,
        hook: CancellationHook
    ) async throws(TransportFailure) -> HTTPConnection {
        let host = key.proxy?.host ?? key.host
        let port = key.proxy?.port ?? key.port
        let target = key.proxy.map { "the proxy \($0.endpoint)" } ?? wire.authority
        let loop = group.next()
        let addresses = try await Resolver.resolve(
            host: host, port: port, loop: loop, deadline: deadline, timeout: configuration.timeoutSeconds, hook: hook)
        // An IP literal is not resolved: its dns phase is zero.
        clock.begin(.connect, at: IPAddressText.isLiteral(host) ? clock.currentPhaseStart : .now)
        let (channel, handler) = try await connect(
            to: addresses, target: target, loop: loop, deadline: deadline, hook: hook)
        do {
            if let proxy = key.proxy, key.scheme == .https {
                try await tunnel(channel, handler: handler, through: proxy, to: wire.authority, deadline: deadline, hook: hook)
            }
            var facts: TLSFacts?
            if key.scheme == .https {
                clock.begin(.tls)
                facts = try await handshake(channel, handler: handler, host: key.host, deadline: deadline, hook: hook)
            }
            return HTTPConnection(channel: channel, key: key, handler: handler, tls: facts)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    private func connect(
        to addresses: [SocketAddress], target: String, loop: any EventLoop, deadline: NIODeadline,
        hook: CancellationHook
    ) async throws(TransportFailure) -> (any Channel, NIOLoopBound<HTTPConnectionHandler>) {
        var firstFailure: TransportFailure?
        let timeout = configuration.timeoutSeconds
        for address in addresses {
            let remaining = deadline - .now()
            guard remaining > .zero else { throw .timedOut(seconds: timeout) }
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(remaining)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(timeoutSeconds: timeout))
                    }
                }
            do {
                let channel = try await Awaiting.value(
                    of: bootstrap.connect(to: address), hook: hook, deadline: deadline, timeout: timeout,
                    discard: { $0.close(promise: nil) })
                let handler = try await channel.eventLoop.submit {
                    NIOLoopBound(try channel.pipeline.syncOperations.handler(type: HTTPConnectionHandler.self), eventLoop: channel.eventLoop)
                }.get()
                return (channel, handler)
            } catch let failure as TransportFailure {
                if failure == .cancelled || failure == .timedOut(seconds: timeout) { throw failure }
                firstFailure = firstFailure ?? failure
            } catch {
                let failure = TransportFailure.socketFailure(error, target: target, timeout: timeout)
                    ?? .other("cannot connect to \(target)")
                if failure == .timedOut(seconds: timeout) { throw failure }
                firstFailure = firstFailure ?? failure
            }
        }
        throw firstFailure ?? .nameResolution(target)
    }

    /// `CONNECT host:port` through the proxy; any answer but 2xx ends the attempt with the proxy's words.
    private func tunnel(
        _ channel: any Channel, handler: NIOLoopBound<HTTPConnectionHandler>, through proxy: ProxyConfiguration.Proxy,
        to authority: String, deadline: NIODeadline, hook: CancellationHook
    ) async throws(TransportFailure) {
        var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let authorization = proxy.authorization { head += "Proxy-Authorization: \(authorization)\r\n" }
        head += "User-Agent: conform/\(ConformDefaults.version)\r\n\r\n"
        let connection = HTTPConnection(
            channel: channel, key: ConnectionPool.Key(scheme: .http, host: proxy.host, port: proxy.port), handler: handler,
            tls: nil)
        hook.set { connection.cancel() }
        defer { hook.clear() }
        let parser = ResponseParser(bodyLimit: 64 * 1024, expectsNoBody: true)
        let outcome: ExchangeOutcome
        do {
            outcome = try await connection.execute(
                ByteBuffer(string: head), parser: parser, deadline: deadline, checkLiveness: false
            ).get()
        } catch {
            throw .proxy("the proxy \(proxy.endpoint) failed during CONNECT to \(authority)")
        }
        if let failure = outcome.failure {
            switch failure {
            case .timedOut, .cancelled: throw failure
            default: throw .proxy("the proxy \(proxy.endpoint) did not answer CONNECT to \(authority): \(failure)")
            }
        }
        guard let response = outcome.response, (200..<300).contains(response.status) else {
            let status = outcome.response.map { "\($0.status) \($0.reason)" } ?? "nothing"
            throw .proxy("the proxy answered \(status) to CONNECT \(authority)")
        }
    }

    private func handshake(
        _ channel: any Channel, handler: NIOLoopBound<HTTPConnectionHandler>, host: String, deadline: NIODeadline,
        hook: CancellationHook
    ) async throws(TransportFailure) -> TLSFacts {
        let tls = self.tls
        hook.set { channel.eventLoop.execute { handler.value.cancel() } }
        defer { hook.clear() }
        do {
            return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<TLSFacts> in
                let connection = handler.value
                let observer: ServerHelloObserver
                let sslHandler: NIOSSLClientHandler
                do {
                    (observer, sslHandler) = try tls.handlers(host: host, notes: connection.handshakeNotes)
                } catch {
                    return channel.eventLoop.makeFailedFuture(
                        TransportFailure.tls(TLSFailure(.other("TLS cannot be set up for the name \(host)"))))
                }
                let done = connection.awaitHandshake(deadline: deadline)
                do {
                    try channel.pipeline.syncOperations.addHandler(sslHandler, position: .first)
                    try channel.pipeline.syncOperations.addHandler(observer, position: .first)
                } catch {
                    return channel.eventLoop.makeFailedFuture(TransportFailure.tls(TLSFailure(.closedDuringHandshake)))
                }
                let observerBox = NIOLoopBound(observer, eventLoop: channel.eventLoop)
                let sslBox = NIOLoopBound(sslHandler, eventLoop: channel.eventLoop)
                return done.map { alpn in
                    TLSClient.facts(
                        version: sslBox.value.tlsVersion, cipherSuite: observerBox.value.cipherSuite, alpn: alpn,
                        leaf: sslBox.value.peerCertificate)
                }
            }.get()
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .tls(TLSFailure.from(error) ?? TLSFailure(.other("the handshake failed")))
        }
    }
}

/// What cancelling the calling task must do now: close the connection, fail a wait. Set and cleared as
/// the exchange moves on; a cancellation before an action is set runs it as soon as it is.
final class CancellationHook: Sendable {
    private struct State {
        var cancelled = false
        var action: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    var isCancelled: Bool { state.withLockedValue { $0.cancelled } }

    func set(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLockedValue { state -> Bool in
            state.action = action
            return state.cancelled
        }
        if runNow { action() }
    }

    func clear() {
        state.withLockedValue { $0.action = nil }
    }

    func cancel() {
        let action = state.withLockedValue { state -> (@Sendable () -> Void)? in
            state.cancelled = true
            return state.action
        }
        action?()
    }
}

/// Awaits a future that cannot itself be cancelled or bounded (a connect, a name resolution): the wait
/// ends at the deadline or on cancellation, and a value that comes later is discarded.
enum Awaiting {
    static func value<Value: Sendable>(
        of future: EventLoopFuture<Value>, hook: CancellationHook, deadline: NIODeadline, timeout: Double,
        discard: @escaping @Sendable (Value) -> Void
    ) async throws -> Value {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: Value.self)
        let settled = NIOLockedValueBox(false)
        let claim: @Sendable () -> Bool = { settled.withLockedValue { done in defer { done = true }; return !done } }
        let timer = loop.scheduleTask(deadline: deadline) {
            if claim() { promise.fail(TransportFailure.timedOut(seconds: timeout)) }
        }
        future.whenComplete { result in
            timer.cancel()
            if claim() {
                promise.completeWith(result)
            } else if case .success(let value) = result {
                discard(value)
            }
        }
        hook.set { if claim() { promise.fail(TransportFailure.cancelled) } }
        defer { hook.clear() }
        return try await promise.futureResult.get()
    }
}
