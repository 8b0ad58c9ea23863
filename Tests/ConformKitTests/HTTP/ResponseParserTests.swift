import NIOCore
import Testing

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
}
