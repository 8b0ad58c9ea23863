import NIOCore
import Testing

@testable import ConformKit

/// The parser fed directly, for what a server cannot show from outside: the memory it keeps.
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
}
