import Foundation
import Testing

@testable import ConformJSON
@testable import ConformKit

/// Standard output is a report too: the real binary with its standard output on `/dev/full`, closed, or a
/// pipe whose reader has gone exits 2 with one message on standard error, after writing its report files;
/// a standard error that cannot be written neither crashes nor hangs conform.
@Suite(.temporaryDirectories) struct StandardOutputTests {
    private static let concur = TestPaths.suite("concur.json")

    private static func reason(_ console: ConformBinary.Console) -> String {
        switch console {
        case .full: "No space left on device"
        case .closed: "it is closed"
        default: "Broken pipe"
        }
    }

    @Test(arguments: [ConformBinary.Console.full, .closed, .closedPipe], ["json", "text"])
    func aRunWhoseStandardOutputFailsExitsTwoAndStillWritesItsReports(
        console: ConformBinary.Console, format: String
    ) async throws {
        let folder = TestPaths.temporaryDirectory()
        let junit = folder.appendingPathComponent("r.xml").path
        let har = folder.appendingPathComponent("r.har").path
        let result = try await ConformBinary.run(
            ["run", Self.concur, "--format", format, "--junit", junit, "--har", har], output: console)
        let message = "conform: error: cannot write to standard output: \(Self.reason(console))\n"
        #expect(result.status == 2, "\(console), \(format): \(result.stderr)")
        #expect(result.stderr.hasSuffix("\n" + message), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "standard output").count == 2)
        // No console text went into a report (a closed descriptor 1 is taken by no file conform opens).
        #expect(JUnitSchemas.problems(FileManager.default.contents(atPath: junit) ?? Data()) == [])
        #expect(JSONValue.decode(FileManager.default.contents(atPath: har) ?? Data()) != nil)
    }

    /// lint opens no socket (SwiftNIO, which ignores SIGPIPE for its sockets, never starts): a closed pipe
    /// used to kill it silently.
    @Test(arguments: [ConformBinary.Console.full, .closed, .closedPipe])
    func lintAndVersionWhoseStandardOutputFailsExitTwo(console: ConformBinary.Console) async throws {
        let message = "conform: error: cannot write to standard output: \(Self.reason(console))\n"
        let lint = try await ConformBinary.run(["lint", Self.concur], output: console)
        #expect(lint.status == 2)
        #expect(lint.stderr == message)
        let version = try await ConformBinary.run(["--version"], output: console)
        #expect(version.status == 2)
        #expect(version.stderr == message)
    }

    /// Nowhere to say it: the status alone tells.
    @Test(arguments: [ConformBinary.Console.full, .closed, .closedPipe])
    func aStandardErrorThatCannotBeWrittenNeitherCrashesNorHangs(errors: ConformBinary.Console) async throws {
        let junit = TestPaths.temporaryDirectory().appendingPathComponent("r.xml").path
        let failedOutput = try await ConformBinary.run(
            ["run", Self.concur, "--format", "json", "--junit", junit], output: .full, errors: errors)
        #expect(failedOutput.status == 2)
        let passed = try await ConformBinary.run(["run", Self.concur, "--junit", junit], output: .pipe, errors: errors)
        #expect(passed.status == 0)
        #expect(passed.stdout.contains("\nconcur: 6 cases: 6 passed, 0 failed, 0 errors, 0 skipped; "))
        let invalid = try await ConformBinary.run(
            ["run", Self.concur, "--timeout", "0"], output: .pipe, errors: errors)
        #expect(invalid.status == 2)
        #expect(invalid.stdout == "")
    }
}
