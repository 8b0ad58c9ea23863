import Foundation
import Testing

@testable import ConformKit

/// `conform lint` takes what `conform run` takes and fails where run fails before sending, with the same
/// words: the real binary, both commands, the same arguments.
@Suite(.temporaryDirectories) struct LintParityTests {
    /// The output options run has are lint's too.
    @Test func lintAcceptsEveryOptionOfRun() async throws {
        let folder = TestPaths.temporaryDirectory()
        let html = folder.appendingPathComponent("page/report.html").path
        let lint = try await ConformBinary.run([
            "lint", TestPaths.suite("pitchpoint.json"), "--report-html", html, "--format", "json", "-v",
        ])
        #expect(lint.stderr == "")
        #expect(lint.status == 0)
        #expect(
            lint.stdout == "\(TestPaths.suite("pitchpoint.json")): ok, 10 cases against the embedded pitchpoint mock\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("page").path))
        let badFormat = try await ConformBinary.run(["lint", TestPaths.suite("pitchpoint.json"), "--format", "xml"])
        #expect(badFormat.status == 2)
        // --format is hidden from lint's help, so swift-argument-parser names it without its placeholder.
        #expect(badFormat.stderr.hasPrefix("Error: The value 'xml' is invalid for '--format'"))
    }

    /// A report path run cannot write (a folder that cannot be made, a device for a folder) stops lint too,
    /// with run's message; lint leaves no folder behind where it could make one.
    @Test(arguments: [
        ["--junit", "/proc/nope/x.xml"], ["--report-html", "/proc/nope/x.html"], ["--junit", "/dev/null/x.xml"],
        ["--write-baseline", "/proc/nope/baseline.json"],
    ])
    func lintRefusesAReportPathRunRefuses(_ option: [String]) async throws {
        let folder = TestPaths.temporaryDirectory()
        let run = try await ConformBinary.run(["run", TestPaths.suite("pitchpoint.json")] + option, in: folder)
        let lint = try await ConformBinary.run(["lint", TestPaths.suite("pitchpoint.json")] + option, in: folder)
        #expect(run.status == 2)
        #expect(lint.status == 2)
        #expect(lint.stdout == "")
        #expect(lint.stderr == run.stderr)
        let folderOfReport = URL(fileURLWithPath: option[1]).deletingLastPathComponent().path
        #expect(
            lint.stderr.hasPrefix(
                "conform: error: cannot write the report \(option[1]): cannot create the folder \(folderOfReport): "))
    }

    @Test func lintLeavesNoProbeBehind() async throws {
        let folder = TestPaths.temporaryDirectory()
        let lint = try await ConformBinary.run(
            ["lint", TestPaths.suite("pitchpoint.json"), "--junit", "a/b/c.xml", "--report-html", "r.html"], in: folder)
        #expect(lint.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }
}
