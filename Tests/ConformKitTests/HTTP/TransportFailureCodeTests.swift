@testable import ConformHTTP
import Foundation
import Testing

@testable import ConformKit

/// `TransportFailure` is a code and a message: the codes are the JUnit `type` of an error, each one
/// documented, and the messages are the sentences reports have always shown.
@Suite struct TransportFailureCodeTests {
    @Test func everyCodeIsDistinctAndDocumented() throws {
        let codes = TransportFailure.Code.all.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.count == 18)
        let document = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/suite-format.md"), encoding: .utf8)
        let row = try #require(document.split(separator: "\n").first { $0.hasPrefix("| request could not complete") })
        let documented = row.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(Set(documented.filter { !$0.contains(" ") && $0 != "kind" }) == Set(codes))
    }

    @Test func theKindIsTheCodeAndTheMessageIsUnchanged() {
        let failures: [(TransportFailure, String, String)] = [
            (.connectionRefused(target: "127.0.0.1:9"), "connection-refused", "connection refused by 127.0.0.1:9"),
            (.timedOut(seconds: 2.5), "timeout", "no complete response within the 2.5 s timeout"),
            (
                .truncatedBody(received: 3, expected: 10), "truncated-body",
                "the connection closed after 3 of 10 body bytes (truncated response)"
            ),
            (
                .truncatedBody(received: 3, expected: nil), "truncated-body",
                "the connection closed before the response body was complete (3 bytes received)"
            ),
            (.bodyTooLarge(limit: 1 << 20), "body-too-large", "the response body exceeds the 1 MiB limit (--max-body)"),
            (
                .outOfFileDescriptors(limit: 256), "file-descriptors",
                "conform ran out of file descriptors (limit 256, ulimit -n) and could not open a connection: a limit of the machine running conform, not of the endpoint; lower --concurrency or raise the limit"
            ),
            (.other("no route to h:1"), "transport", "no route to h:1"),
            (
                TransportFailure(code: .init(rawValue: "http2-stream-reset"), message: "the stream was reset"),
                "http2-stream-reset", "the stream was reset"
            ),
        ]
        for (failure, kind, message) in failures {
            #expect(failure.kind == kind)
            #expect(failure.code.rawValue == kind)
            #expect(failure.description == message)
        }
        #expect(TransportFailure.cancelled.code == .cancelled)
        #expect(TransportFailure.timedOut(seconds: 1) != .timedOut(seconds: 2))
    }

    /// The suggestion is made after the failure, from the flag kept beside the message.
    @Test func aWrongSchemeSuggestsTheOtherScheme() {
        let answeredInTLS = TransportFailure.wrongScheme(serverSpeaksTLS: true, suggestion: "")
            .suggesting(scheme: "http", host: "::1", port: 8443)
        #expect(answeredInTLS.description == "the server answered with TLS; did you mean https://[::1]:8443?")
        let answeredInPlain = TransportFailure.wrongScheme(serverSpeaksTLS: false, suggestion: "")
            .suggesting(scheme: "https", host: "example.com", port: 80)
        #expect(answeredInPlain.description == "the server answered in plain HTTP; did you mean http://example.com?")
        #expect(answeredInPlain.code == .wrongScheme)
        // Other failures pass through untouched.
        #expect(TransportFailure.cancelled.suggesting(scheme: "https", host: "h", port: 1) == .cancelled)
    }
}
