import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ConformHTTP
@testable import ConformKit

#if canImport(Glibc)
    import Glibc
#endif

/// Phases as measured, timeouts in every phase, and cancellation.
@Suite struct TransportTimingTests {
    private static func sum(_ timing: ExchangeTiming) -> Duration {
        [timing.queue, timing.dns, timing.connect, timing.tls, timing.send, timing.wait, timing.download]
            .compactMap { $0 }.reduce(Duration.zero, +)
    }

    @Test func phasesAddUpAndAReusedConnectionHasNoSetUp() async throws {
        let server = try ScriptedServer(steps: [
            .repeatUntilClosed([.readRequest, .sleep(milliseconds: 50), .write(ScriptedServer.response(body: "ok"))])
        ])
        defer { server.stop() }
        // The server waits 50 ms; at least 5 of them fall in the wait phase however late the write's
        // completion is noticed on a busy machine.
        let transport = try TransportTest.transport()
        let first = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
        let second = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
        await transport.shutdown()
        #expect(first.timing.connection == .new)
        #expect(first.timing.dns == .zero)  // an IP literal is not resolved
        #expect(first.timing.connect != nil)
        #expect(first.timing.tls == nil)
        #expect(first.timing.send != nil && first.timing.download != nil)
        #expect(first.timing.wait! >= .milliseconds(5))
        #expect(Self.sum(first.timing) == first.timing.total)
        #expect(second.timing.connection == .reused)
        #expect(second.timing.dns == nil && second.timing.connect == nil && second.timing.tls == nil)
        #expect(second.timing.wait! >= .milliseconds(5))
        #expect(Self.sum(second.timing) == second.timing.total)
        #expect(second.timing.latency == second.timing.total - second.timing.queue)
    }

    @Test func theNameLocalhostIsResolvedAndTimed() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "ok")), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(URL(string: "http://localhost:\(server.port)/")!))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        // localhost may resolve to ::1 first; the server listens on 127.0.0.1 only, which is then tried.
        #expect(exchange.remoteAddress == "127.0.0.1:\(server.port)")
        #expect(exchange.timing.dns.map { $0 > .zero } == true)
        #expect(exchange.timing.metrics.contains { $0.name == "dns_ms" })
        #expect(Self.sum(exchange.timing) == exchange.timing.total)
    }

    /// A listener whose accept queue is full drops the SYN of a new connection: the connect itself hangs.
    @Test func aFullAcceptQueueTimesOutWhileConnecting() async throws {
        let (listener, port) = try RawSocket.listen(backlog: 0)
        defer { close(listener) }
        // Fill the accept queue (never accepted), so that later SYNs are dropped.
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<4 {
            if let socket = RawSocket.connect(port: port, nonBlocking: true) { fillers.append(socket) }
        }
        try await Task.sleep(for: .milliseconds(50))
        let transport = try TransportTest.transport(timeout: 0.5)
        let exchange = await transport.send(TransportTest.request(URL(string: "http://127.0.0.1:\(port)/")!))
        await transport.shutdown()
        #expect(exchange.failure == .timedOut(seconds: 0.5))
        #expect(exchange.timing.connect != nil)
        #expect(exchange.timing.send == nil)
    }

    @Test func noAnswerTimesOutWhileWaiting() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 0.3)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .timedOut(seconds: 0.3))
        #expect(exchange.failure?.description == "no complete response within the 0.3 s timeout")
        #expect(exchange.timing.wait != nil)
        #expect(exchange.timing.download == nil)
        #expect(exchange.resent == nil)
    }

    @Test func aStalledBodyTimesOutWhileDownloading() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write(ScriptedServer.response(body: "par", length: 10)), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 0.3)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .timedOut(seconds: 0.3))
        #expect(exchange.response?.status == 200)
        #expect(exchange.timing.download != nil)
    }

    @Test func aSilentTLSServerTimesOutInTheHandshake() async throws {
        let server = try ScriptedServer(steps: [.hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 0.3)
        let exchange = await transport.send(TransportTest.request(URL(string: "https://127.0.0.1:\(server.port)/")!))
        await transport.shutdown()
        #expect(exchange.failure == .tls(TLSFailure(.handshakeTimedOut(seconds: 0.3))))
        #expect(exchange.failure?.description == "TLS failed: the handshake did not complete within the 0.3 s timeout")
        #expect(exchange.timing.tls != nil)
    }

    @Test func aSilentProxyTimesOutInConnect() async throws {
        let proxy = try ScriptedServer(steps: [.readRequest, .hold])
        defer { proxy.stop() }
        let transport = try TransportTest.transport(
            timeout: 0.3, proxy: try ProxyConfiguration.fromEnvironment([:], override: "http://127.0.0.1:\(proxy.port)")
        )
        let exchange = await transport.send(TransportTest.request(URL(string: "https://api.example.test/")!))
        await transport.shutdown()
        #expect(exchange.failure == .timedOut(seconds: 0.3))
        #expect(proxy.requestHeads.first?.hasPrefix("CONNECT api.example.test:443 HTTP/1.1") == true)
        #expect(exchange.timing.connect != nil)
        #expect(exchange.timing.tls == nil)
    }

    /// A request beyond the per-host limit waits in the pool, and no longer than its deadline.
    @Test func waitingForAFreeConnectionIsBounded() async throws {
        let pool = ConnectionPool(limit: 1)
        let key = ConnectionPool.Key(scheme: .http, host: "127.0.0.1", port: 1)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        guard
            case .create = await pool.acquire(
                key, forceNew: false, deadline: NIODeadline.now() + .seconds(5), loop: loop, timeout: 5)
        else {
            Issue.record("the first request should get room for a new connection")
            return
        }
        let start = ContinuousClock.now
        let second = await pool.acquire(
            key, forceNew: false, deadline: NIODeadline.now() + .milliseconds(100), loop: loop, timeout: 0.1)
        guard case .failed(let failure) = second else {
            Issue.record("the second request should wait and time out, got \(second)")
            return
        }
        #expect(failure == .timedOut(seconds: 0.1))
        #expect(ContinuousClock.now - start >= .milliseconds(100))
        // The room freed by a failed open goes to the next request.
        pool.openFailed(key)
        guard
            case .create = await pool.acquire(
                key, forceNew: false, deadline: NIODeadline.now() + .seconds(1), loop: loop, timeout: 1)
        else {
            Issue.record("room should be free again")
            return
        }
    }

    @Test func cancellationClosesTheConnectionPromptly() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .readUntilClose])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 60)
        let task = Task { await transport.send(TransportTest.request(server.url())) }
        while server.requests == 0 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let exchange = await task.value
        await transport.shutdown()
        #expect(exchange.failure == .cancelled)
        #expect(exchange.failure?.description == "the request was cancelled")
        // Far below the 60 s timeout: the connection was closed, not left to time out.
        #expect(exchange.timing.total < .seconds(10))
    }

    @Test func cancellationWhileQueuedIsPrompt() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 60, perHost: 1)
        let blocker = Task { await transport.send(TransportTest.request(server.url())) }
        while server.requests == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let queued = Task { await transport.send(TransportTest.request(server.url())) }
        try await Task.sleep(for: .milliseconds(20))
        queued.cancel()
        let exchange = await queued.value
        blocker.cancel()
        _ = await blocker.value
        await transport.shutdown()
        #expect(exchange.failure == .cancelled)
        #expect(exchange.timing.total < .seconds(10))
    }
}

/// A host with several addresses, the first of which drops packets (as IPv6 often does on a host without a
/// route): the first address gets a share of the time, not all of it (RFC 8305, one address at a time).
@Suite struct AddressFallbackTests {
    /// A listener whose accept queue is full and never drained: Linux drops the SYNs of further connects,
    /// so they neither succeed nor fail until they time out.
    final class SilentListener {
        let port: Int
        private let listener: Int32
        private let filler: Int32

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
            }
            try #require(bound == 0 && listen(listener, 0) == 0)
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
            }
            // One connection fills a backlog of 0; it is never accepted.
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(filler, $0, length) }
            }
            try #require(connected == 0)
            self.listener = listener
            self.filler = filler
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        func stop() {
            close(filler)
            close(listener)
        }
    }

    @Test func aSilentFirstAddressLeavesTimeForTheNext() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "ok")), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 3)
        let addresses = try [
            SocketAddress(ipAddress: "127.0.0.1", port: silent.port),
            SocketAddress(ipAddress: "127.0.0.1", port: server.port),
        ]
        let loop = transport.group.next()
        // On the transport's loop, as `send` runs it: a busy shared pool cannot delay the second attempt.
        let result = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            () async -> Result<Int?, TransportFailure> in
            do {
                let (channel, _) = try await transport.connect(
                    to: addresses, target: "example.test:443", loop: loop, deadline: .now() + .seconds(3),
                    hook: CancellationHook())
                defer { channel.close(promise: nil) }
                return .success(channel.remoteAddress?.port)
            } catch let failure as TransportFailure {
                return .failure(failure)
            } catch {
                return .failure(.other("\(error)"))
            }
        }
        await transport.shutdown()
        #expect(result == .success(server.port))
    }
}
