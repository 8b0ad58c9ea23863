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
package final class HTTPTransport: Transport {
    let configuration: TransportConfiguration
    var timeoutSeconds: Double { configuration.timeoutSeconds }
    var maxBodyBytes: Int { configuration.maxBodyBytes }
    let group: MultiThreadedEventLoopGroup
    private let loops: [any EventLoop]
    let pool: ConnectionPool
    let tls: TLSClient

    /// - Parameter eventLoopThreads: threads for I/O; by default half the cores (at least one): the checks
    ///   of every sample need the rest, and on loopback so does the endpoint.
    package init(_ configuration: TransportConfiguration, eventLoopThreads: Int? = nil) throws(TransportSetupError) {
        self.configuration = configuration
        self.tls = try TLSClient(configuration.tls)
        self.pool = ConnectionPool(limit: configuration.maxConnectionsPerHost)
        self.group = MultiThreadedEventLoopGroup(
            numberOfThreads: max(1, eventLoopThreads ?? Self.defaultEventLoopThreads))
        self.loops = Array(group.makeIterator())
    }

    /// Half the cores, at least one.
    package static var defaultEventLoopThreads: Int { max(1, System.coreCount / 2) }

    /// One of the transport's event loops, in turn: a task that prefers it sends on connections of that
    /// loop without hopping threads.
    @available(macOS 15.0, *)
    package var taskExecutor: (any TaskExecutor)? {
        EventLoopTaskExecutor(group.next())
    }

    /// The caller's event loop when it runs on one of the transport's, so that a new connection lives where
    /// its caller does; otherwise the next one.
    var connectionLoop: any EventLoop {
        runsOnOwnLoop ? MultiThreadedEventLoopGroup.currentEventLoop! : group.next()
    }

    package func shutdown() async {
        for connection in pool.shutdown() { connection.close() }
        await tls.shutdown()
        try? await group.shutdownGracefully()
    }

    /// Sends on one of the transport's event loops whatever the caller runs on: the exchange's steps never
    /// wait for a thread of Swift's shared pool, which work elsewhere in the process may hold, so a busy
    /// process cannot make a prompt server look as if it missed the deadline.
    package func send(_ request: PreparedRequest) async -> Exchange {
        if #available(macOS 15.0, *), !runsOnOwnLoop {
            return await withTaskExecutorPreference(EventLoopTaskExecutor(group.next())) {
                await sendOnLoop(request)
            }
        }
        return await sendOnLoop(request)
    }

    private var runsOnOwnLoop: Bool {
        guard let current = MultiThreadedEventLoopGroup.currentEventLoop else { return false }
        return loops.contains { $0 === current }
    }

    private func sendOnLoop(_ request: PreparedRequest) async -> Exchange {
        var clock = PhaseClock()
        let wire: RequestTarget
        switch request.target {
        case .failure(let failure):
            return Exchange(request: request, response: nil, failure: failure, timing: clock.timing(end: .now))
        case .success(let prepared):
            wire = prepared
        }
        let proxy = configuration.proxy.proxy(scheme: wire.scheme.rawValue, host: wire.host, port: wire.port)
        let key = ConnectionPool.Key(scheme: wire.scheme, host: wire.host, port: wire.port, proxy: proxy)
        // Capped at a year, so that any --timeout fits the clock's 64-bit nanoseconds.
        let deadline = NIODeadline.now() + .nanoseconds(Int64(min(configuration.timeoutSeconds, 31_536_000) * 1e9))
        let hook = CancellationHook()
        return await withTaskCancellationHandler {
            await exchange(request, wire, key: key, deadline: deadline, clock: &clock, hook: hook)
        } onCancel: {
            hook.cancel()
        }
    }

    private func exchange(
        _ request: PreparedRequest, _ wire: RequestTarget, key: ConnectionPool.Key, deadline: NIODeadline,
        clock: inout PhaseClock, hook: CancellationHook
    ) async -> Exchange {
        var resent: String?
        var result = Exchange(request: request, response: nil, failure: nil, timing: ExchangeTiming(total: .zero))
        result.viaProxy = key.proxy?.endpoint
        func finish(_ failure: TransportFailure?, end: ContinuousClock.Instant = .now) -> Exchange {
            result.failure = failure?.suggesting(scheme: wire.scheme.rawValue, host: wire.host, port: wire.port)
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
                    connection = try await openConnection(
                        key, wire: wire, deadline: deadline, clock: &clock, hook: hook)
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
            let parser = ResponseParser(bodyLimit: configuration.maxBodyBytes, expectsNoBody: wire.expectsNoBody)
            let execution = connection.send(
                request, to: wire, parser: parser, deadline: deadline, checkLiveness: reused)
            // Set once the request is submitted: a cancellation from now on, or one that came since the
            // check above, fails it on the connection's loop after it starts (NIO runs its tasks in
            // order). Set before, a cancellation in between would find nothing to fail and be lost.
            hook.set { connection.cancel() }
            let outcome: ExchangeOutcome
            do {
                outcome = try await execution.get()
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
            switch ResendPolicy.decide(
                reused: reused, closedBeforeAnyByte: outcome.closedBeforeAnyByte, alreadyResent: resent != nil,
                method: wire.method)
            {
            case .keep: break
            case .refuse(let failure): return finish(failure)
            case .resend:
                resent = Exchange.resentNote
                clock.restart()
                continue
            }
            if let written = outcome.written { clock.begin(.wait, at: written) }
            if let firstByte = outcome.firstByte { clock.begin(.download, at: firstByte) }
            result.response = outcome.response
            if let proxy = key.proxy, wire.scheme == .http, let response = outcome.response, response.status == 407 {
                // Only a proxy answers 407 (RFC 9110 §15.5.8): the request never reached the endpoint, whatever
                // became of the proxy's body.
                let request = "\(wire.method) \(wire.absoluteTarget)"
                return finish(
                    .proxy(proxy.answered(response, to: request) + "; the request did not reach the endpoint"),
                    end: outcome.end)
            }
            return finish(outcome.failure, end: outcome.end)
        }
    }
}
