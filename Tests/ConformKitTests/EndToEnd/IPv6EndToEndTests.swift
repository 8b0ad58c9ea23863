import Foundation
import Testing

@testable import ConformKit

/// IPv6 end to end: the mock listens on `::1` and says `http://[::1]:PORT`; a run against that base URL
/// passes. Where the sandbox has no IPv6 loopback, the tests say so with an issue instead of passing.
@Suite(.temporaryDirectories) struct IPv6EndToEndTests {
    /// Why `::1` cannot be bound here; `nil` when it can.
    static var loopbackProblem: String? {
        let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return "no IPv6 socket: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        return bound == 0 ? nil : "cannot bind ::1: \(String(cString: strerror(errno)))"
    }

    /// Records that the test could not run, so that a sandbox without IPv6 never passes it silently.
    static func requireLoopback() -> Bool {
        guard let problem = loopbackProblem else { return true }
        Issue.record("this sandbox has no IPv6 loopback (\(problem)); the IPv6 behaviour was not tested")
        return false
    }

    @Test(arguments: ["::1", "[::1]"])
    func theStandaloneMockOnIPv6ServesALiveRun(host: String) async throws {
        guard Self.requireLoopback() else { return }
        // The base URL, three credentials and the key set's path (PITCHPOINT_JWKS_URL).
        let (mock, lines) = try await ConformBinary.start(["mock", "pitchpoint", "--host", host], lines: 5)
        guard lines.count == 5 else {
            _ = await ConformBinary.finish(mock)
            Issue.record("the mock printed \(lines)")
            return
        }
        #expect(lines[0].wholeMatch(of: /http:\/\/\[::1\]:\d+/) != nil, "\(lines[0])")
        var environment: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            environment[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        let report = TestPaths.temporaryDirectory().appendingPathComponent("r.xml").path
        let run = try await ConformBinary.run(
            ["run", TestPaths.suite("pitchpoint.json"), "--base-url", lines[0], "--junit", report],
            environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("pitchpoint (\(TestPaths.suite("pitchpoint.json")), target \(lines[0]))\n"))
        #expect(run.stdout.contains("10 cases: 10 passed, 0 failed, 0 errors, 0 skipped"))
        let junit = FileManager.default.contents(atPath: report) ?? Data()
        #expect(JUnitSchemas.problems(junit) == [])
        #expect(
            String(decoding: junit, as: UTF8.self).contains(
                "<property name=\"conform.base_url\" value=\"\(lines[0])\"/>"))
        #expect(await ConformBinary.finish(mock) == 0)
    }

    /// The same in-process, with the requests checked at the mock: every case arrives.
    @Test func anInProcessRunAgainstAnIPv6MockPasses() async throws {
        guard Self.requireLoopback() else { return }
        let configuration = MockConfiguration()
        let recorder = RecordingEndpoint(try #require(MockRegistry.named("concur")).endpoint(configuration))
        let server = try await MockServer.start(recorder, configuration: configuration, host: "::1")
        #expect(server.baseURL.absoluteString == "http://[::1]:\(server.port)")
        let outcome = await runConform(
            [TestPaths.suite("concur.json")],
            arguments: {
                $0.baseURL = server.baseURL.absoluteString
            }, environment: server.credentials.environment)
        await server.stop()
        #expect(outcome.status == .passed, "\(outcome.stdout)")
        #expect(recorder.requestCount == 6)
        #expect(
            outcome.stdout.hasPrefix(
                "concur (\(TestPaths.suite("concur.json")), target \(server.baseURL.absoluteString))\n"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
    }

    /// A port that cannot be had is refused with the address bracketed.
    @Test func aRefusedIPv6AddressIsBracketedInTheMessage() async throws {
        let (mock, lines) = try await ConformBinary.start(["mock", "pitchpoint", "--host", "[::ffff:999.1.1.1]"], lines: 1)
        #expect(await ConformBinary.finish(mock, interrupt: false) == 2)
        #expect(lines.first?.hasPrefix("conform: error: cannot listen on [::ffff:999.1.1.1]:0: ") == true, "\(lines)")
    }
}
