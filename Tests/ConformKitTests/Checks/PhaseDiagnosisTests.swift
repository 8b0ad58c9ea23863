import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

@Suite(.temporaryDirectories) struct PhaseDiagnosisTests {
    private func subject(connect: Double? = nil, tls: Double? = nil, download: Double? = nil, bytes: Int = 120)
        -> ResponseUnderTest
    {
        var timing = ExchangeTiming(total: .milliseconds(2000))
        timing.connect = connect.map { .nanoseconds(Int64($0 * 1e6)) }
        timing.tls = tls.map { .nanoseconds(Int64($0 * 1e6)) }
        timing.download = download.map { .nanoseconds(Int64($0 * 1e6)) }
        let body = Data(repeating: UInt8(ascii: "x"), count: bytes)
        return ResponseUnderTest(
            response: HTTPResponseSnapshot(status: 200, reason: "OK", headers: [], body: body), timing: timing,
            document: .none)
    }

    @Test func eachPatternIsExplainedAndOrdinaryPhasesAreNot() {
        let diagnosis = PhaseDiagnosis()
        #expect(diagnosis.evaluate(subject(connect: 0.4, tls: 3, download: 0.2)) == [])
        #expect(
            diagnosis.evaluate(subject(download: 41)).map(\.message) == [
                "download: 120 bytes of body came over 35 ms after the headers: the server likely writes headers and body separately with Nagle's algorithm on (no TCP_NODELAY), and its second write waits for the client's delayed ACK"
            ])
        // A large body's download is transfer time.
        #expect(diagnosis.evaluate(subject(download: 41, bytes: 500_000)) == [])
        #expect(
            diagnosis.evaluate(subject(connect: 1003)).map(\.message) == [
                "connect: TCP alone took over 900 ms, the mark of a SYN retransmission: a SYN or its answer was lost (a full listen backlog at the server, or a firewall dropping connections)"
            ])
        #expect(
            diagnosis.evaluate(subject(connect: 2, tls: 350)).map(\.message) == [
                "tls: the handshake took over 300 ms, several times the TCP connect: the server may be building a long certificate chain or fetching OCSP responses"
            ])
        #expect(diagnosis.evaluate(subject(connect: 100, tls: 350)) == [])
    }

    /// A server that writes its head, waits 40 ms, then writes a small body, as Nagle and a delayed ACK do.
    @Test func aSplitSmallResponseIsExplainedEndToEnd() async throws {
        let body = #"{"error":"invalid_grant","error_description":"slow"}"#
        let head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let server = try ScriptedServer { _ in
            [.repeatUntilClosed([.readRequest, .write(head), .sleep(milliseconds: 45), .write(body)])]
        }
        defer { server.stop() }
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")]) {
            $0.baseURL = "http://127.0.0.1:\(server.port)"
            $0.variables = ["refresh_token=x-refresh-token-1"]
        }
        #expect(outcome.stdout.contains("note [phases]: download: \(body.utf8.count) bytes of body came over 35 ms after the headers"))
        #expect(outcome.reportText.contains("refresh with valid token.note.1"))
    }
}
