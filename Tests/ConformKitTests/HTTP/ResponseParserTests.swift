import NIOCore
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// The parser fed directly, for what a server cannot show from outside: the memory it keeps, and how the
/// bytes were split into reads.
@Suite struct ResponseParserTests {
    /// Each piece ends inside the next chunk's size line, so the parser always keeps a byte for later: it
    /// must keep that byte alone, not every byte it has ever read.
    @Test func readBytesAreDiscardedBeforeMoreAreKept() throws {
        var parser = ResponseParser(bodyLimit: 1 << 20, expectsNoBody: false)
        var head = ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1")
        #expect(try parser.feed(&head) == .needMore)
        for _ in 0..<1000 {
            var piece = ByteBuffer(string: "\r\na\r\n1")
            #expect(try parser.feed(&piece) == .needMore)
        }
        // The kept "1" and the last piece's six bytes.
        #expect(parser.pending.writerIndex == 7)
        #expect(parser.body.readableBytes == 1000)
    }

    /// The 64 KiB cap holds however the bytes arrive: a head that comes whole in one read is held to it
    /// as one that comes in many reads is.
    @Test func aCompleteHeadOverTheCapIsRefusedInOneRead() {
        var parser = ResponseParser(bodyLimit: 64, expectsNoBody: false)
        let header = "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n"
        var response = ByteBuffer(
            string: "HTTP/1.1 200 OK\r\n" + String(repeating: header, count: 70) + "Content-Length: 0\r\n\r\n")
        #expect(throws: TransportFailure.malformedResponse("the response head is longer than 64 KiB")) {
            try parser.feed(&response)
        }
    }

    /// Found while writing the `response` fuzz target, whose invariant it broke: a chunk size line of 5,000
    /// zeros and a 1 passed when it came in one read and failed at its 4 KiB cap when it came in many. It
    /// fails both ways now (and `fuzz/corpus/response/long-chunk-line.bin` replays it).
    @Test(arguments: [1, 128, 10_000])
    func aChunkLineOverTheCapIsRefusedHoweverItArrives(piece: Int) {
        let bytes = Array(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(String(repeating: "0", count: 5000))1\r\nx\r\n0\r\n\r\n"
                .utf8)
        var parser = ResponseParser(bodyLimit: 64, expectsNoBody: false)
        var failure: TransportFailure?
        var offset = 0
        while offset < bytes.count, failure == nil {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(offset + piece, bytes.count)])
            offset += piece
            do { _ = try parser.feed(&buffer) } catch { failure = error }
        }
        #expect(failure?.description.hasPrefix("malformed response: a chunk line is longer than 4 KiB: \"0000") == true)
    }

    /// A head that comes a byte at a time (a server that drips it) is scanned once, not once per read. Fed
    /// 56,038 bytes of head one at a time (debug build), the parser takes 0.8 s of CPU; when every read
    /// searched the head again from its start, it had not finished after 8 minutes of CPU.
    @Test func aHeadThatComesAByteAtATimeIsScannedOnce() throws {
        let head = Array(
            ("HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 2000) + "Content-Length: 2\r\n\r\n").utf8)
        var parser = ResponseParser(bodyLimit: 64, expectsNoBody: false)
        for byte in head {
            var buffer = ByteBuffer(bytes: [byte])
            #expect(try parser.feed(&buffer) == .needMore)
        }
        var body = ByteBuffer(string: "ok")
        #expect(try parser.feed(&body) == .complete)
        #expect(parser.head?.headers.count == 2001)
        #expect(parser.headBytesScanned == head.count)
    }
}
