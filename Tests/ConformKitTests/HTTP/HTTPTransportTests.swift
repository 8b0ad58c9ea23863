import Foundation
import NIOCore
import Testing

@testable import ConformHTTP
@testable import ConformKit
@testable import ConformSupport

/// The transport against servers that misbehave on purpose (``ScriptedServer``): status lines, framing,
/// connection reuse, resends, caps, closes and resets.
@Suite struct HTTPTransportTests {
    private typealias Step = ScriptedServer.Step

    @Test(arguments: [(0, "000"), (99, "099"), (599, "599"), (999, "999")])
    func anyThreeDigitsAreAStatus(status: Int, digits: String) async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 \(digits) Odd\r\nContent-Length: 2\r\n\r\nok"),
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url("/token")))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(exchange.response?.status == status)
        #expect(exchange.response?.reason == "Odd")
        #expect(TransportTest.text(exchange) == "ok")
    }

    @Test func interimResponsesAreSkipped() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest,
            .write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"),
            .write(ScriptedServer.response(status: "201 Created", body: "made")),
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
        await transport.shutdown()
        #expect(exchange.response?.status == 201)
        #expect(TransportTest.text(exchange) == "made")
    }

    @Test func aStatusLineWithoutDigitsIsQuoted() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n"), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("the status line is not `HTTP/1.1 NNN reason`: \"HTTP/1.1 OK\""))
        #expect(
            exchange.failure?.description
                == "malformed response: the status line is not `HTTP/1.1 NNN reason`: \"HTTP/1.1 OK\"")
    }

    @Test func garbageIsNamedAtOnceAndCut() async throws {
        let garbage = "SSH-2.0-OpenSSH_9.2\t" + String(repeating: "x", count: 200) + "\r\n"
        let server = try ScriptedServer(steps: [.readRequest, .writeBytes([0x00] + Array(garbage.utf8)), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 30)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        let expected =
            "the response does not start with an HTTP/1.x status line: \"\\x00SSH-2.0-OpenSSH_9.2\\t"
            + String(repeating: "x", count: 79) + "…\""
        #expect(exchange.failure == .malformedResponse(expected))
    }

    @Test func anEndlessHeadIsCutAt64KiB() async throws {
        let header = "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n"
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\n" + String(repeating: header, count: 70)), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 30)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("the response head is longer than 64 KiB"))
    }

    @Test func anInvalidChunkSizeIsQuoted() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 30)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("invalid chunk size line: \"zz\""))
    }

    @Test func aResponseToHTTP2IsRefused() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write("HTTP/2 200\r\n\r\n")])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("the status line is not `HTTP/1.1 NNN reason`: \"HTTP/2 200\""))
    }

    /// RFC 9110 §9.2.2: the reused connection closes before answering; GET is sent once more, and says so.
    @Test func anIdempotentRequestIsResentOnANewConnection() async throws {
        let ok = ScriptedServer.response(body: "fine")
        let server = try ScriptedServer { connection in
            connection == 0 ? [.readRequest, .write(ok), .readRequest, .close] : [.readRequest, .write(ok), .hold]
        }
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let first = await transport.send(TransportTest.request(server.url()))
        let second = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(first.resent == nil)
        #expect(second.failure == nil)
        #expect(TransportTest.text(second) == "fine")
        #expect(
            second.resent
                == "resent on a new connection: the server closed the reused connection before answering (RFC 9110 §9.2.2)"
        )
        #expect(second.timing.connection == .new)
        #expect(server.connections == 2)
        #expect(server.requests == 3)
    }

    /// The resend goes on a new connection even when another idle one is in the pool (it may be as stale).
    @Test func theResendNeverTakesAnotherIdleConnection() async throws {
        let ok = ScriptedServer.response(body: "fine")
        let server = try ScriptedServer { connection in
            connection < 2
                ? [.readRequest, .sleep(milliseconds: 50), .write(ok), .readRequest, .close]
                : [.readRequest, .write(ok), .hold]
        }
        defer { server.stop() }
        let transport = try TransportTest.transport()
        async let first = transport.send(TransportTest.request(server.url()))
        async let second = transport.send(TransportTest.request(server.url()))
        #expect(await [first.failure, second.failure] == [nil, nil])
        let third = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(third.failure == nil)
        #expect(third.resent == Exchange.resentNote)
        #expect(third.timing.connection == .new)
        #expect(server.connections == 3)
    }

    /// At the per-host limit, a resend waits for room for a new connection. When the connection that frees
    /// up is released (not closed) and no other request waits, it makes that room: the resend is not left
    /// waiting until its timeout.
    @Test func aResendAtThePerHostLimitGetsTheNextReleasedRoom() async throws {
        let ok = ScriptedServer.response(body: "fine")
        let server = try ScriptedServer { connection in
            connection == 0
                ? [.readRequest, .write(ok), .readRequest, .sleep(milliseconds: 200), .close]
                : [.repeatUntilClosed([.readRequest, .write(ok)])]
        }
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 3, perHost: 1)
        #expect(await transport.send(TransportTest.request(server.url())).failure == nil)
        async let resent = transport.send(TransportTest.request(server.url()))
        while server.requests < 2 { try await Task.sleep(for: .milliseconds(5)) }
        // The only connection is busy (the server holds it 200 ms, then closes it unanswered): this one waits.
        let waiting = await transport.send(TransportTest.request(server.url()))
        let first = await resent
        await transport.shutdown()
        #expect(waiting.failure == nil)
        #expect(first.failure == nil, "\(String(describing: first.failure))")
        #expect(first.resent == Exchange.resentNote)
        // Usually three connections; two when a loaded machine starts the waiting request only after the
        // resend already had its new connection (which the waiting request then reuses).
        #expect((2...3).contains(server.connections))
    }

    @Test func aPostIsNotResent() async throws {
        let ok = ScriptedServer.response(body: "fine")
        let server = try ScriptedServer { connection in
            connection == 0 ? [.readRequest, .write(ok), .readRequest, .close] : [.readRequest, .write(ok), .hold]
        }
        defer { server.stop() }
        let transport = try TransportTest.transport()
        _ = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
        let second = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
        await transport.shutdown()
        #expect(second.failure == .reusedConnectionClosed(method: "POST"))
        #expect(
            second.failure?.description
                == "the server closed a reused keep-alive connection before answering; POST is not idempotent, so it was not resent (RFC 9110 §9.2.2)"
        )
        #expect(second.resent == nil)
        #expect(server.connections == 1)
    }

    /// The server closes after every answer without saying `Connection: close`: once the close has
    /// reached the client, the closed idle connection is dropped and no POST fails. (A close still in
    /// flight when the next request leaves is the race RFC 9110 §9.2.2 leaves to resends; the test waits
    /// for the client to see it, at most a second.)
    @Test func closedIdleConnectionsAreNeverHandedOut() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "ok")), .close])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        var failures: [TransportFailure] = []
        for _ in 0..<20 {
            let exchange = await transport.send(TransportTest.request(server.url(), method: "POST", body: "{}"))
            if let failure = exchange.failure { failures.append(failure) }
            #expect(exchange.resent == nil)
            let deadline = ContinuousClock.now + .seconds(1)
            while transport.pool.idleCount > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        }
        await transport.shutdown()
        #expect(failures == [])
        #expect(server.connections == 20)
    }

    @Test func keepAliveReusesTheConnection() async throws {
        let server = try ScriptedServer(steps: [
            .repeatUntilClosed([.readRequest, .write(ScriptedServer.response(body: "ok"))])
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let first = await transport.send(TransportTest.request(server.url()))
        let second = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(first.timing.connection == .new)
        #expect(second.timing.connection == .reused)
        #expect(server.connections == 1)
        #expect(server.requests == 2)
        #expect(first.remoteAddress == "127.0.0.1:\(server.port)")
    }

    @Test func connectionCloseIsHonoured() async throws {
        let close = ScriptedServer.response(headers: ["Connection: close"], body: "ok")
        let server = try ScriptedServer(steps: [.readRequest, .write(close), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        _ = await transport.send(TransportTest.request(server.url()))
        let second = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(second.failure == nil)
        #expect(second.timing.connection == .new)
        #expect(second.resent == nil)
        #expect(server.connections == 2)
    }

    @Test func aBodyOfUnknownLengthIsReadUntilClose() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write(ScriptedServer.response(body: "until ", length: nil)), .sleep(milliseconds: 20),
            .write("the end"), .close,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(TransportTest.text(exchange) == "until the end")
    }

    @Test func chunkedBodiesAreDecoded() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest,
            .write(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n"
            ),
            .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(TransportTest.text(exchange) == "Wikipedia")
    }

    @Test func aHeadResponseHasNoBody() async throws {
        let server = try ScriptedServer(steps: [
            .repeatUntilClosed([.readRequest, .write("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n")])
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let first = await transport.send(TransportTest.request(server.url(), method: "HEAD"))
        let second = await transport.send(TransportTest.request(server.url(), method: "HEAD"))
        await transport.shutdown()
        #expect(first.failure == nil)
        #expect(first.response?.body.isEmpty == true)
        #expect(second.timing.connection == .reused)
    }

    @Test func theBodyCapStopsReading() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest,
            .write(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + String(repeating: "a", count: 32)
                    + "\r\n"),
            .write("40\r\n" + String(repeating: "b", count: 64) + "\r\n"), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(maxBody: 64)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .bodyTooLarge(limit: 64))
        #expect(exchange.failure?.description == "the response body exceeds the 64 bytes limit (--max-body)")
        #expect(exchange.response?.status == 200)
    }

    @Test(arguments: [(64, nil), (65, TransportFailure.bodyTooLarge(limit: 64))])
    func theCapIsInclusive(size: Int, failure: TransportFailure?) async throws {
        let body = String(repeating: "z", count: size)
        let server = try ScriptedServer(steps: [
            .readRequest,
            .write(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(String(size, radix: 16))\r\n\(body)\r\n0\r\n\r\n"
            ),
            .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(maxBody: 64)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == failure)
        if failure == nil { #expect(exchange.response?.body.count == 64) }
    }

    @Test func aDeclaredLengthOverTheCapFailsAtOnce() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n"), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 30, maxBody: 1024)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .bodyTooLarge(limit: 1024))
    }

    @Test func aTruncatedBodySaysHowMuchCame() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write(ScriptedServer.response(body: "abc", length: 10)), .close,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .truncatedBody(received: 3, expected: 10))
        #expect(exchange.failure?.description == "the connection closed after 3 of 10 body bytes (truncated response)")
    }

    @Test func aTruncatedChunkedBody() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabcd"), .reset,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .truncatedBody(received: 4, expected: nil))
    }

    @Test func closedWithoutResponseOnANewConnectionIsNotRetried() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .close])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .closedWithoutResponse)
        #expect(exchange.resent == nil)
        #expect(server.connections == 1)
    }

    /// The server ends its side as soon as it accepts: the request fails once, as a close without a
    /// response, and is not taken for a stale pooled connection to be opened again until the timeout. The
    /// server half-closes and reads on, so that the request, whenever it lands, meets a FIN and never a reset.
    @Test func aNewConnectionClosedOnAcceptIsNotOpenedAgain() async throws {
        let server = try ScriptedServer(steps: [.halfClose, .readUntilClose])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 3)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .closedWithoutResponse)
        #expect(exchange.resent == nil)
        #expect(server.connections == 1)
    }

    /// The same, without the race: a new connection whose channel is already closed when the request is
    /// submitted fails it; only a reused one is `stale` (found closed while idle, to be replaced).
    @Test func aNewConnectionFoundClosedFailsTheRequest() async throws {
        let server = try ScriptedServer(steps: [.readUntilClose])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let deadline = NIODeadline.now() + .seconds(5)
        let (channel, handler) = try await transport.connect(
            to: [try SocketAddress(ipAddress: "127.0.0.1", port: server.port)], target: "test",
            loop: transport.group.next(), deadline: deadline, hook: CancellationHook())
        try await channel.close()
        try await channel.closeFuture.get()
        let connection = HTTPConnection(
            channel: channel, key: ConnectionPool.Key(scheme: .http, host: "127.0.0.1", port: server.port),
            handler: handler, tls: nil)
        let outcome = try await connection.execute(
            ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"), parser: ResponseParser(bodyLimit: 64, expectsNoBody: false),
            deadline: deadline, checkLiveness: false
        ).get()
        await transport.shutdown()
        #expect(outcome.failure == .closedWithoutResponse)
        #expect(!outcome.stale)
    }

    @Test func aResetIsNamed() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .reset])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .connectionReset)
        #expect(server.connections == 1)
    }

    @Test func aHalfCloseBeforeAnsweringIsAClose() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .halfClose, .readUntilClose])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .closedWithoutResponse)
    }

    @Test func aRefusedConnectionNamesTheTarget() async throws {
        let server = try ScriptedServer(steps: [])
        let port = server.port
        server.stop()
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(URL(string: "http://127.0.0.1:\(port)/")!))
        await transport.shutdown()
        #expect(exchange.failure == .connectionRefused(target: "127.0.0.1:\(port)"))
        #expect(exchange.timing.connection == .new)
        #expect(exchange.timing.connect != nil)
    }

    @Test func anUnknownHostIsANameResolutionFailure() async throws {
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(URL(string: "http://conform-test.invalid/")!))
        await transport.shutdown()
        #expect(exchange.failure == .nameResolution("conform-test.invalid"))
        #expect(exchange.failure?.description == "cannot resolve host conform-test.invalid")
        #expect(exchange.timing.dns != nil)
    }

    @Test func requestsBeyondThePerHostLimitWait() async throws {
        let server = try ScriptedServer(steps: [
            .repeatUntilClosed([.readRequest, .sleep(milliseconds: 30), .write(ScriptedServer.response(body: "ok"))])
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(perHost: 2)
        let exchanges = await withTaskGroup(of: Exchange.self) { group in
            for _ in 0..<6 { group.addTask { await transport.send(TransportTest.request(server.url())) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await transport.shutdown()
        #expect(exchanges.allSatisfy { $0.failure == nil }, "\(exchanges.compactMap(\.failure))")
        #expect(server.connections == 2)
        #expect(exchanges.filter { $0.timing.connection == .new }.count == 2)
        // The four that waited spent it in the queue.
        #expect(exchanges.filter { $0.timing.queue > .milliseconds(20) }.count >= 4)
    }

    @Test func whatConformSendsIsPreparedOnce() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "ok")), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        _ = await transport.send(TransportTest.request(server.url("/a%20b?x=1"), method: "POST", body: "{}"))
        await transport.shutdown()
        #expect(
            server.requestHeads == [
                "POST /a%20b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: application/json\r\nUser-Agent: conform/\(ConformDefaults.version)\r\nContent-Length: 2"
            ])
    }

    @Test func anInvalidHeaderIsRefusedBeforeSending() async throws {
        let transport = try TransportTest.transport()
        let request = PreparedRequest(
            method: "GET", url: URL(string: "http://127.0.0.1:1/")!, headers: [("X-Bad", "a\r\nInjected: 1")], body: nil
        )
        let exchange = await transport.send(request)
        await transport.shutdown()
        #expect(
            exchange.failure
                == .invalidRequest("the value of header X-Bad holds a line break or NUL"))
    }
}
