import ConformSupport
import NIOCore
import NIOPosix
import NIOSSL

/// Opening a new connection, each phase timed where it happens: name resolution, TCP connect, the proxy's
/// CONNECT for https, the TLS handshake.
extension HTTPTransport {
    /// Opens a connection: name resolution, TCP connect, the proxy's CONNECT for https, the TLS handshake.
    func openConnection(
        _ key: ConnectionPool.Key, wire: RequestTarget, deadline: NIODeadline, clock: inout PhaseClock,
        hook: CancellationHook
    ) async throws(TransportFailure) -> HTTPConnection {
        let host = key.proxy?.host ?? key.host
        let port = key.proxy?.port ?? key.port
        let target = key.proxy.map { "the proxy \($0.endpoint)" } ?? wire.authority
        let loop = connectionLoop
        let addresses = try await Resolver.resolve(
            host: host, port: port, loop: loop, deadline: deadline, timeout: configuration.timeoutSeconds, hook: hook)
        // An IP literal is not resolved: its dns phase is zero.
        clock.begin(.connect, at: IPAddressText.isLiteral(host) ? clock.currentPhaseStart : .now)
        let (channel, handler) = try await connect(
            to: addresses, target: target, loop: loop, deadline: deadline, hook: hook)
        do {
            if let proxy = key.proxy, key.scheme == .https {
                try await tunnel(
                    channel, handler: handler, through: proxy, to: wire.authority, deadline: deadline, hook: hook)
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

    func connect(
        to addresses: [SocketAddress], target: String, loop: any EventLoop, deadline: NIODeadline,
        hook: CancellationHook
    ) async throws(TransportFailure) -> (any Channel, NIOLoopBound<HTTPConnectionHandler>) {
        var firstFailure: TransportFailure?
        let timeout = configuration.timeoutSeconds
        for (index, address) in addresses.enumerated() {
            let remaining = deadline - .now()
            guard remaining > .zero else { throw .timedOut(seconds: timeout) }
            // Each address gets an equal share of the time left, the last all of it: a first address that
            // drops packets (IPv6 on a host without a route, often) leaves time for the next (RFC 8305,
            // one address at a time).
            let isLast = index == addresses.count - 1
            let share = TimeAmount.nanoseconds(remaining.nanoseconds / Int64(addresses.count - index))
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(share)
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
                    NIOLoopBound(
                        try channel.pipeline.syncOperations.handler(type: HTTPConnectionHandler.self),
                        eventLoop: channel.eventLoop)
                }.get()
                return (channel, handler)
            } catch let failure as TransportFailure {
                if failure == .cancelled || (failure == .timedOut(seconds: timeout) && isLast) { throw failure }
                firstFailure = firstFailure ?? failure
            } catch {
                let failure =
                    TransportFailure.socketFailure(error, target: target, timeout: timeout)
                    ?? .other("cannot connect to \(target)")
                if failure == .timedOut(seconds: timeout) && isLast { throw failure }
                firstFailure = firstFailure ?? failure
            }
        }
        throw firstFailure ?? .nameResolution(target)
    }

    /// `CONNECT host:port` through the proxy; any answer but 2xx ends the attempt with the proxy's words.
    func tunnel(
        _ channel: any Channel, handler: NIOLoopBound<HTTPConnectionHandler>, through proxy: ProxyConfiguration.Proxy,
        to authority: String, deadline: NIODeadline, hook: CancellationHook
    ) async throws(TransportFailure) {
        var head = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let authorization = proxy.authorization { head += "Proxy-Authorization: \(authorization)\r\n" }
        head += "User-Agent: conform/\(ConformDefaults.version)\r\n\r\n"
        let connection = HTTPConnection(
            channel: channel, key: ConnectionPool.Key(scheme: .http, host: proxy.host, port: proxy.port),
            handler: handler,
            tls: nil)
        let parser = ResponseParser(bodyLimit: 64 * 1024, expectsNoBody: true, answersConnect: true)
        let execution = connection.execute(
            ByteBuffer(string: head), parser: parser, deadline: deadline, checkLiveness: false)
        // Set after the CONNECT is submitted, so that a cancellation cannot land before there is one to fail.
        hook.set { connection.cancel() }
        defer { hook.clear() }
        let outcome: ExchangeOutcome
        do {
            outcome = try await execution.get()
        } catch {
            throw .proxy("the proxy \(proxy.endpoint) failed during CONNECT to \(authority)")
        }
        if let failure = outcome.failure {
            if failure.code == .timedOut || failure.code == .cancelled { throw failure }
            throw .proxy("the proxy \(proxy.endpoint) did not answer CONNECT to \(authority): \(failure)")
        }
        guard let response = outcome.response else {
            throw .proxy("the proxy answered nothing to CONNECT \(authority)")
        }
        guard (200..<300).contains(response.status) else {
            throw .proxy(proxy.answered(response, to: "CONNECT \(authority)"))
        }
    }

    func handshake(
        _ channel: any Channel, handler: NIOLoopBound<HTTPConnectionHandler>, host: String, deadline: NIODeadline,
        hook: CancellationHook
    ) async throws(TransportFailure) -> TLSFacts {
        let negotiation = startHandshake(channel, handler: handler, host: host, deadline: deadline)
        // Set after the handshake is submitted, so that a cancellation cannot land before there is one to fail.
        hook.set { channel.eventLoop.execute { handler.value.cancel() } }
        defer { hook.clear() }
        do {
            return try await negotiation.get()
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .tls(TLSFailure.from(error) ?? TLSFailure(.other("the handshake failed")))
        }
    }

    /// Adds the TLS handlers on the connection's loop and waits there for the handshake; the facts it
    /// negotiated.
    private func startHandshake(
        _ channel: any Channel, handler: NIOLoopBound<HTTPConnectionHandler>, host: String, deadline: NIODeadline
    ) -> EventLoopFuture<TLSFacts> {
        let tls = self.tls
        let timeout = configuration.timeoutSeconds
        return channel.eventLoop.flatSubmit { () -> EventLoopFuture<TLSFacts> in
            let connection = handler.value
            let observer: ServerHelloObserver
            let sslHandler: NIOSSLClientHandler
            do {
                (observer, sslHandler) = try tls.handlers(
                    host: host, notes: connection.handshakeNotes, deadline: deadline, timeout: timeout)
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
        }
    }
}
