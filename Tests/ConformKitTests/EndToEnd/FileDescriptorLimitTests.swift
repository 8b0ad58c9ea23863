import Foundation
import Testing

@testable import ConformKit
@testable import ConformSupport

/// The limit on open files, played through the real binary under `ulimit` and `prlimit`: conform raises
/// its soft limit to the hard one, refuses a concurrency the hard limit cannot carry before sending, and
/// names the limit as its own when a socket cannot be opened anyway.
@Suite(.temporaryDirectories) struct FileDescriptorLimitTests {
    private static let twoCases = """
        {"format": 1, "name": "limits", "cases": [
          {"name": "first", "request": {"method": "GET", "path": "/a"}, "expect": {"status": 200}},
          {"name": "second", "request": {"method": "GET", "path": "/b"}, "expect": {"status": 200}}
        ]}
        """

    /// `ulimit -n 8` made conform die in the event loop's set-up (SIGILL), with no word and no report.
    @Test func aLimitOfEightIsRefusedWithItsNumber() async throws {
        let folder = TestPaths.temporaryDirectory()
        let result = try await ConformBinary.run(
            ["run", TestPaths.suite("pitchpoint.json"), "--junit", folder.appendingPathComponent("r.xml").path],
            ulimit: "-n 8")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("conform: error: a run needs at least "))
        #expect(
            result.stderr.hasSuffix(
                " file descriptors, more than the limit of 8 (ulimit -n); raise it (ulimit -n, ulimit -Hn)\n"))
        #expect(result.stdout == "")
    }

    /// Under a soft limit of 64, 100 connections to the embedded mock (200 descriptors) ran out of files
    /// and blamed the endpoint; the soft limit goes up to the hard one first.
    @Test func theSoftLimitIsRaisedToTheHardLimit() async throws {
        let folder = TestPaths.temporaryDirectory()
        let result = try await ConformBinary.run(
            [
                "run", TestPaths.suite("pitchpoint.json"), "--filter", "invalid refresh token is refused",
                "--repeat", "300", "--concurrency", "100", "--junit", folder.appendingPathComponent("r.xml").path,
            ], ulimit: "-Sn 64")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 passed"))
    }

    /// A hard limit of 256 cannot carry 250 connections and conform's own: exit 2 before anything is sent.
    @Test func aConcurrencyTheHardLimitCannotCarryIsRefusedBeforeSending() async throws {
        let server = try ScriptedServer(steps: [.readRequest, .write(ScriptedServer.response(body: "ok")), .close])
        defer { server.stop() }
        let folder = TestPaths.temporaryDirectory()
        let result = try await ConformBinary.run(
            [
                "run", TestPaths.writeSuite(Self.twoCases), "--base-url", server.url().absoluteString, "--repeat",
                "500", "--concurrency", "250", "--junit", folder.appendingPathComponent("r.xml").path,
            ], ulimit: "-n 256")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("conform: error: concurrency 250 needs up to 2"))
        #expect(
            result.stderr.hasSuffix(
                " file descriptors (250 connections at once), more than the limit of 256 (ulimit -n); lower --concurrency or raise the hard limit (ulimit -Hn)\n"
            ))
        #expect(server.connections == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.xml").path))
    }

    /// The limit drops under a running conform (`prlimit` on its process, as another tool or an operator
    /// may): the next connection cannot be opened, and the case's error names conform's limit, not the
    /// endpoint. The first answer waits until the limit is down; the report cannot be written either (exit
    /// 2), and the JSON results on the already open standard output still say why the case failed.
    @Test func runningOutOfDescriptorsIsNamedAsConformsOwnLimit() async throws {
        let answer = ScriptedServer.response(headers: ["Connection: close"], body: "ok")
        let server = try ScriptedServer { connection in
            connection == 0
                ? [.readRequest, .sleep(milliseconds: 1500), .write(answer), .close]
                : [.readRequest, .write(answer), .close]
        }
        defer { server.stop() }
        let folder = TestPaths.temporaryDirectory()
        let (process, output, errors) = try ConformBinary.launch([
            "run", TestPaths.writeSuite(Self.twoCases), "--base-url", server.url().absoluteString, "--format", "json",
            "--junit", folder.appendingPathComponent("r.xml").path,
        ])
        let (outputReader, errorReader) = (output.fileHandleForReading, errors.fileHandleForReading)
        async let stdout = Blocking.run { outputReader.readDataToEndOfFile() }
        async let stderr = Blocking.run { errorReader.readDataToEndOfFile() }
        var waited = 0
        while server.requests == 0, waited < 200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        let lowered = try await ConformBinary.runTool(
            "/usr/bin/prlimit", ["--pid", "\(process.processIdentifier)", "--nofile=3:"])
        #expect(lowered == 0)
        let (out, err) = await (stdout, stderr)
        let status = await ConformBinary.finish(process, interrupt: false)
        #expect(status == 2, "\(String(decoding: err, as: UTF8.self))")
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: out)
        let cases = try #require(results.suites.first?.cases)
        #expect(cases.map(\.outcome) == ["passed", "errored"])
        #expect(cases.last?.error?.kind == "file-descriptors")
        #expect(
            cases.last?.error?.message
                == "conform ran out of file descriptors (limit 3, ulimit -n) and could not open a connection: a limit of the machine running conform, not of the endpoint; lower --concurrency or raise the limit"
        )
        #expect(server.connections == 1)
    }

    @Test func theShortfallCountsEveryDescriptor() {
        #expect(
            FileDescriptorLimit.shortfall(connectionDescriptors: 2048, eventLoops: 2, open: 10, limit: 1024)
                == FileDescriptorLimit.Shortfall(needed: 2096, limit: 1024))
        #expect(FileDescriptorLimit.shortfall(connectionDescriptors: 900, eventLoops: 2, open: 10, limit: 1024) == nil)
    }
}
