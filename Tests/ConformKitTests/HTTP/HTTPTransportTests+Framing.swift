import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// What frames a response and what bounds it: chunk sizes as RFC 9112 §7.1 writes them, and the 64 KiB
/// cap on everything that is not body (interim heads, trailers), so that a server cannot make conform
/// read forever without ever reaching a body limit.
extension HTTPTransportTests {
    @Test func endlessInterimResponsesAreCutAt64KiB() async throws {
        // 3000 × 25 bytes: 75,000 bytes of 100 Continue, and no final response.
        let interim = String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 3000)
        let server = try ScriptedServer(steps: [.readRequest, .write(interim), .hold])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 10)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("the interim (1xx) responses are longer than 64 KiB"))
    }

    @Test func endlessTrailersAreCutAt64KiB() async throws {
        // 12,800 × 8 bytes: 100 KiB of trailer lines after the last chunk, and no blank line to end them.
        let trailers = String(repeating: "X-T: a\r\n", count: 12_800)
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 10)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("the trailers are longer than 64 KiB"))
    }

    /// `chunk-size = 1*HEXDIG`, and whitespace only before a `;` that starts an extension: a sign or a
    /// space between digits is not a size.
    @Test(arguments: [
        ("-5", TransportFailure.malformedResponse("invalid chunk size line: \"-5\"")),
        ("+5", .malformedResponse("invalid chunk size line: \"+5\"")),
        ("1 0", .malformedResponse("invalid chunk size line: \"1 0\"")),
        ("a ;ext=1", nil),
        ("A\t;ext", nil),
        ("0000000000000000a", nil),
    ])
    func aChunkSizeIsHexDigitsOnly(sizeLine: String, failure: TransportFailure?) async throws {
        let server = try ScriptedServer(steps: [
            .readRequest,
            .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(sizeLine)\r\n0123456789\r\n0\r\n\r\n"),
            .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 10)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == failure)
        #expect(TransportTest.text(exchange) == (failure == nil ? "0123456789" : ""))
    }

    @Test func aChunkSizeTooLongToBeALengthIsRefused() async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n"), .hold,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport(timeout: 10)
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == .malformedResponse("invalid chunk size line: \"1000000000000000\""))
    }

    /// A close-delimited body (no Content-Length, not chunked) ends at the close, and a reset after some of
    /// it is a close: the body is complete as far as its framing can tell, in HTTP/1.0 as in 1.1.
    @Test(arguments: ["HTTP/1.0", "HTTP/1.1"])
    func aCloseDelimitedBodyEndedByAResetIsComplete(version: String) async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("\(version) 200 OK\r\nContent-Type: text/plain\r\n\r\nthe whole body"),
            .sleep(milliseconds: 50), .reset,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(exchange.response?.status == 200)
        #expect(TransportTest.text(exchange) == "the whole body")
    }

    /// A reset before any body byte, or inside a body whose length the head declares, still cuts it short.
    @Test(arguments: [
        ("HTTP/1.0 200 OK\r\n\r\n", TransportFailure.truncatedBody(received: 0, expected: nil)),
        ("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", .truncatedBody(received: 3, expected: 10)),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabcd", .truncatedBody(received: 4, expected: nil)),
    ])
    func aResetBeforeTheBodyOrInsideAFramedOneIsTruncation(response: String, failure: TransportFailure) async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(response), .sleep(milliseconds: 50), .reset])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url()))
        await transport.shutdown()
        #expect(exchange.failure == failure)
    }
}
