@testable import ConformJSON
@testable import ConformHTTP
import Foundation
import Testing

@testable import ConformKit

/// The HTTP version of each answer is recorded from its status line, and the HAR archive writes it: an
/// HTTP/1.0 server's answer is `HTTP/1.0` in `httpVersion`, not the version conform asked in.
@Suite struct HARVersionTests {
    @Test(arguments: ["HTTP/1.0", "HTTP/1.1"])
    func theArchiveWritesTheVersionTheServerAnsweredIn(version: String) async throws {
        let server = try ScriptedServer(steps: [
            .readRequest, .write("\(version) 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), .close,
        ])
        defer { server.stop() }
        let transport = try TransportTest.transport()
        let exchange = await transport.send(TransportTest.request(server.url("/token")))
        await transport.shutdown()
        #expect(exchange.failure == nil)
        #expect(exchange.response?.httpVersion == version)
        let recorder = HARRecorder()
        recorder.record(exchange, started: Date(timeIntervalSince1970: 0), suite: "s", testCase: "c")
        let document = try #require(JSONValue.decode(recorder.document()))
        guard case .object(let root) = document, case .object(let log)? = root["log"],
            case .array(let entries)? = log["entries"], case .object(let entry)? = entries.first,
            case .object(let response)? = entry["response"], case .object(let request)? = entry["request"]
        else { throw Failure("no entry") }
        #expect(response["httpVersion"] == .string(version))
        // The request went out in HTTP/1.1 whatever the answer's version.
        #expect(request["httpVersion"] == .string("HTTP/1.1"))
    }

    /// A response made without a version (a test's, a merged report's) is HTTP/1.1, as conform sends.
    @Test func aSnapshotWithoutAVersionIsHTTP11() {
        let response = HTTPResponseSnapshot(status: 204, reason: "No Content", headers: [], body: Data())
        #expect(response.httpVersion == "HTTP/1.1")
    }
}
