import Foundation
import Testing

@testable import ConformKit

/// What CI runs trip on: annotations placed relative to the repository, and negative numbers after an
/// option.
@Suite(.temporaryDirectories) struct CIDetailsTests {
    /// A job that runs conform from a subfolder (`working-directory: suites`) still annotates
    /// `suites/pitchpoint.json`, where the file is in the repository.
    @Test func annotationsAreRelativeToTheWorkspaceFromASubfolder() async throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("suites")
        let report = TestPaths.temporaryDirectory().appendingPathComponent("r.xml").path
        let result = try await ConformBinary.run(
            ["run", "pitchpoint.json", "--mock-deviation", "wrong-token-type", "--junit", report], in: folder,
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": TestPaths.packageRoot.path])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "::error file=suites/pitchpoint.json,line=42,title=pitchpoint › refresh with valid token::field: token_type: expected \"Bearer\" (ignoring case), got string \"mac\"\n"
            ))
    }

    @Test func theStepSummaryNamesTheSameRelativePath() async throws {
        let summary = TestPaths.temporaryDirectory().appendingPathComponent("summary.md")
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")], arguments: { $0.mockDeviation = "wrong-token-type" },
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path,
                "GITHUB_WORKSPACE": TestPaths.packageRoot.path + "/",
            ])
        #expect(outcome.stdout.contains("::error file=suites/pitchpoint.json,line=42,"))
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(markdown.contains("- **pitchpoint › refresh with valid token** (`suites/pitchpoint.json:42`): "))
    }

    @Test func aPathIsRelativeToTheWorkspaceOnlyInsideIt() {
        let workspace = GitHubActions.Workspace(
            root: "/home/runner/work/app/app", currentDirectory: "/home/runner/work/app/app/tests")
        #expect(workspace.path(of: "pitchpoint.json") == "tests/pitchpoint.json")
        #expect(workspace.path(of: "../suites/./x.json") == "suites/x.json")
        #expect(workspace.path(of: "/home/runner/work/app/app/suites/x.json") == "suites/x.json")
        // Outside the workspace, or a sibling whose name starts the same: as given.
        #expect(workspace.path(of: "/tmp/x.json") == "/tmp/x.json")
        #expect(workspace.path(of: "/home/runner/work/app/app2/x.json") == "/home/runner/work/app/app2/x.json")
        #expect(GitHubActions.Workspace(root: nil, currentDirectory: "/a").path(of: "b.json") == "b.json")
        #expect(GitHubActions.Workspace(root: "", currentDirectory: "/a").path(of: "b.json") == "b.json")
    }

    /// swift-argument-parser takes `-1` for an option; conform's own message comes either way.
    @Test(arguments: [
        (["run", "--repeat"], "-1", "conform: error: --repeat must be from 1 to 1000000, got -1\n"),
        (["lint", "--concurrency"], "-8", "conform: error: --concurrency must be from 1 to 1024, got -8\n"),
        (
            ["run", "--timeout"], "-0.5",
            "conform: error: --timeout must be a number of seconds above 0 and at most 3600, got -0.5\n"
        ),
        (
            ["lint", "--rate"], "-2",
            "conform: error: --rate must be a number of requests per second above 0 and at most 100000, got -2\n"
        ),
    ])
    func aNegativeNumberGetsConformsMessageInBothSpellings(
        _ command: [String], _ value: String, _ message: String
    ) async throws {
        let suite = TestPaths.suite("pitchpoint.json")
        let spaced = try await ConformBinary.run([command[0], suite, command[1], value])
        let joined = try await ConformBinary.run([command[0], suite, "\(command[1])=\(value)"])
        #expect(spaced.status == 2)
        #expect(spaced.stderr == message)
        #expect(joined.stderr == message)
    }

    @Test func theMockSaysWhatIsWrongWithANegativePort() async throws {
        let result = try await ConformBinary.run(["mock", "pitchpoint", "--port", "-1"])
        #expect(result.status == 2)
        #expect(result.stderr == "conform: error: --port must be 0-65535, got -1\n")
    }

    /// Only a number is joined: an option after a numeric option stays an option, and after `--` nothing
    /// is touched.
    @Test func onlyANumberIsJoined() async throws {
        let missing = try await ConformBinary.run(["run", TestPaths.suite("pitchpoint.json"), "--repeat", "-v"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("Error: Missing value for '--repeat <n>'"))
        let afterDashes = try await ConformBinary.run(["lint", "--", TestPaths.suite("pitchpoint.json"), "--repeat", "-1"])
        #expect(afterDashes.status == 2)
        #expect(afterDashes.stderr.contains("--repeat: error: no such suite file"))
    }
}
