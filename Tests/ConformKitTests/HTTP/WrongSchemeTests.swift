import Foundation
import NIOCore
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// What the first bytes of an answer say about the scheme, and the URL suggested instead.
@Suite struct WrongSchemeTests {
    @Test(
        arguments: [
            ([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A], true), ([0x16, 0x03, 0x01], true), ([0x17, 0x03], true),
            ([0x14, 0x03], true), ([0x18, 0x03], false), ([0x16, 0x02], false), ([0x16], false), ([], false),
            (Array("HTTP/1.1 400 Bad Request\r\n".utf8), false),
        ] as [([UInt8], Bool)])
    func aTLSRecordIsKnownByItsFirstTwoBytes(_ bytes: [UInt8], _ isTLS: Bool) {
        #expect(TransportFailure.startsWithTLSRecord(ByteBuffer(bytes: bytes)) == isTLS)
    }

    @Test(arguments: [
        ("HTTP/1.1 400 Bad Request\r\n", true), ("HTTP/", true), ("HTTP", false), ("http/1.1 200", false), ("", false),
        ("\u{16}\u{03}\u{03}", false),
    ])
    func anHTTPAnswerIsKnownByItsStatusLine(_ text: String, _ isHTTP: Bool) {
        #expect(TransportFailure.startsWithHTTPStatusLine(ByteBuffer(string: text)) == isHTTP)
    }

    @Test(arguments: [
        (false, "https", "127.0.0.1", 8443, "the server answered in plain HTTP; did you mean http://127.0.0.1:8443?"),
        (
            false, "https", "api.example.com", 443,
            "the server answered in plain HTTP; did you mean http://api.example.com:443?"
        ),
        (
            false, "https", "api.example.com", 80,
            "the server answered in plain HTTP; did you mean http://api.example.com?"
        ),
        (true, "http", "::1", 8080, "the server answered with TLS; did you mean https://[::1]:8080?"),
        (true, "http", "api.example.com", 443, "the server answered with TLS; did you mean https://api.example.com?"),
    ])
    func theSuggestionSwapsTheSchemeAndKeepsThePort(
        _ speaksTLS: Bool, _ scheme: String, _ host: String, _ port: Int, _ message: String
    ) {
        let failure = TransportFailure.wrongScheme(serverSpeaksTLS: speaksTLS, suggestion: "")
            .suggesting(scheme: scheme, host: host, port: port)
        #expect(failure.description == message)
        #expect(failure.kind == "wrong-scheme")
        // Any other failure is left as it is.
        #expect(TransportFailure.connectionReset.suggesting(scheme: scheme, host: host, port: port) == .connectionReset)
    }
}
