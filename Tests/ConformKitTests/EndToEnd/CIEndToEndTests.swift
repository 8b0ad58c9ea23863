import Foundation
import Testing

@testable import ConformKit
@testable import conform

/// What CI pipelines use: lint, selection, shards and merge, GitHub Actions output, JSON results.
@Suite(.temporaryDirectories) struct CIEndToEndTests {
    @Test func lintSendsNothingAndCreatesNothing() async throws {
        let mock = try await StartedMock.start("pitchpoint")
        let folder = TestPaths.temporaryDirectory().appendingPathComponent("not-yet/reports.xml")
        var options = RunOptions(suitePaths: [TestPaths.suite("pitchpoint.json")])
        options.baseURL = mock.baseURL
        options.junitPath = folder.path
        let output = BufferedOutput()
        let errors = BufferedOutput()
        let status = ConformLint.run(options, environment: mock.environment, output: output, errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        await mock.server.stop()
        #expect(status == .passed)
        #expect(output.text == "\(TestPaths.suite("pitchpoint.json")): ok, 10 cases against \(mock.baseURL)\n")
        #expect(mock.recorder.requestCount == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().path))
    }

    @Test func lintReportsEveryProblemOfEveryFile() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("invalid-suites")
        let files = ["format-2.json", "unknown-model.json", "repeat-zero.json"].map {
            folder.appendingPathComponent($0).path
        }
        var options = RunOptions(suitePaths: files)
        options.shard = "5/2"
        let errors = BufferedOutput()
        #expect(ConformLint.run(options, environment: [:], output: BufferedOutput(), errors: errors, diagnostics: DiagnosticPrinter(output: errors)) == .invalid)
        let expected =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json")))
            as? [String: String] ?? [:]
        #expect(
            errors.text
                == (["conform: error: --shard expects I/N with 1 <= I <= N, got \"5/2\""]
                + zip(files, ["format-2.json", "unknown-model.json", "repeat-zero.json"]).map {
                    "\($0):\(expected[$1] ?? "")"
                }).joined(separator: "\n") + "\n")
    }

    @Test func aFilterThatMatchesNothingExitsTwo() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.filter = "^nothing" }
        #expect(outcome.status == .invalid)
        #expect(outcome.stderr == "conform: error: no case matches --filter \"^nothing\"\n")
    }

    @Test func pulledInCasesSaySo() async {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.filter = "^returned" }
        #expect(outcome.status == .passed)
        #expect(
            outcome.stdout.contains(
                "note [selection]: not selected, run because 'returned refresh token works' depends on it"))
        #expect(outcome.stdout.contains("pitchpoint: 2 cases: 2 passed"))
    }

    /// Shard reports merged give one valid report with the totals of an unsharded run.
    @Test func shardsMergeIntoOneValidReport() async throws {
        let folder = TestPaths.temporaryDirectory()
        var shards: [String] = []
        for index in 1...3 {
            let path = folder.appendingPathComponent("shard-\(index).xml").path
            let outcome = await runConform([TestPaths.suite("pitchpoint.json"), TestPaths.suite("concur.json")]) {
                $0.shard = "\(index)/3"
                $0.junitPath = path
                $0.mockDeviation = nil
            }
            #expect(outcome.status == .passed)
            #expect(JUnitSchemas.problems(outcome.report) == [])
            shards.append(path)
        }
        let merged = folder.appendingPathComponent("all.xml").path
        let console = BufferedOutput()
        #expect(ConformMerge.run(inputs: shards, output: merged, console: console, errors: BufferedOutput(), diagnostics: DiagnosticPrinter(output: BufferedOutput())) == .passed)
        #expect(
            console.text
                == "merged 3 reports: 2 suites, 16 cases (16 passed, 0 failed, 0 errors, 0 skipped); report \(merged)\n"
        )
        let report = try #require(FileManager.default.contents(atPath: merged))
        #expect(JUnitSchemas.problems(report) == [])
        let document = try JUnitReader.read(report, file: merged)
        #expect(document.suites.map(\.name) == ["pitchpoint", "concur"])
        #expect(document.suites.map(\.testCases.count) == [10, 6])
        #expect(String(decoding: report, as: UTF8.self).contains(#"<testsuite name="concur" package="concur" id="1""#))
    }

    @Test func mergeCountsFailuresAndRefusesWhatIsNotJUnit() async throws {
        let failing = await runConform([TestPaths.suite("pitchpoint.json")]) { $0.mockDeviation = "wrong-token-type" }
        let folder = TestPaths.temporaryDirectory()
        let merged = folder.appendingPathComponent("all.xml").path
        let console = BufferedOutput()
        #expect(
            ConformMerge.run(inputs: [failing.reportPath], output: merged, console: console, errors: BufferedOutput(), diagnostics: DiagnosticPrinter(output: BufferedOutput()))
                == .passed)
        #expect(
            console.text
                == "merged 1 report: 1 suite, 10 cases (6 passed, 4 failed, 0 errors, 0 skipped); report \(merged)\n")
        let report = String(decoding: try #require(FileManager.default.contents(atPath: merged)), as: UTF8.self)
        #expect(report.contains(#"tests="10" failures="4" errors="0" skipped="0""#))

        let notJUnit = folder.appendingPathComponent("page.xml")
        try Data("<html>\n<body/></html>".utf8).write(to: notJUnit)
        let errors = BufferedOutput()
        #expect(
            ConformMerge.run(inputs: [notJUnit.path], output: merged, console: BufferedOutput(), errors: errors, diagnostics: DiagnosticPrinter(output: errors))
                == .invalid)
        #expect(
            errors.text
                == "\(notJUnit.path):1: error: not a JUnit report: the root element is <html>, expected <testsuites> or <testsuite>\n"
        )
    }

    @Test func anEmptyShardWritesAnEmptyValidReport() async {
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")]) { $0.shard = "2/2" }
        #expect(outcome.status == .passed)
        #expect(outcome.stdout == "conform: shard 2/2 has no cases to run\n")
        #expect(JUnitSchemas.problems(outcome.report) == [])
        #expect(outcome.reportText == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites/>\n")
    }

    @Test func githubActionsGetsAnnotationsAndASummary() async throws {
        let summary = TestPaths.temporaryDirectory().appendingPathComponent("summary.md")
        let outcome = await runConform(
            [TestPaths.suite("pitchpoint.json")], arguments: { $0.mockDeviation = "wrong-token-type" },
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        let suite = TestPaths.suite("pitchpoint.json")
        #expect(
            outcome.stdout.contains(
                "::error file=\(suite),line=42,title=pitchpoint › refresh with valid token::field: token_type: expected \"Bearer\" (ignoring case), got string \"mac\"\n"
            ))
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(
            markdown.hasPrefix(
                "## conform: failed\n\n| Suite | Cases | Passed | Failed | Errors | Skipped | Warnings | Time |\n"))
        #expect(markdown.contains("| pitchpoint | 10 | 6 | 4 | 0 | 0 | 4 | "))
        #expect(
            markdown.contains(
                "- **pitchpoint › refresh with valid token** (`\(suite):42`): field: token_type: expected \"Bearer\" (ignoring case), got string \"mac\"\n"
            ))
    }

    @Test func annotationsEscapeWorkflowCommandCharacters() {
        #expect(GitHubActions.escapeData("50% done\nnext") == "50%25 done%0Anext")
        #expect(GitHubActions.escapeProperty("a:b,c") == "a%3Ab%2Cc")
        #expect(GitHubActions.markdown("a|b <x>\r\ny") == "a&#124;b &lt;x&gt;&#13;&#10;y")
    }

    @Test func runWritesTheHTMLReportWithoutSecrets() async throws {
        let page = TestPaths.temporaryDirectory().appendingPathComponent("html/report.html")
        let (outcome, mock) = try await StartedMock.live(
            "pitchpoint", deviation: "expires-in-string", [TestPaths.suite("pitchpoint.json")]
        ) {
            $0.htmlReportPath = page.path
            $0.repeatCount = 5
        }
        #expect(outcome.status == .failed)
        let html = String(decoding: try #require(FileManager.default.contents(atPath: page.path)), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("pitchpoint.token: expires_in: expected a JSON number, got string &quot;3600&quot;"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 9)
        for secret in mock.recorder.secrets { #expect(!html.contains(secret)) }
    }

    @Test func jsonResultsGoToStandardOutputAlone() async throws {
        let outcome = await runConform([TestPaths.suite("concur.json")]) {
            $0.format = .json
            $0.mockDeviation = "wrong-root"
        }
        #expect(outcome.status == .failed)
        let results = try JSONDecoder.snakeCase.decode(JSONResults.self, from: Data(outcome.stdout.utf8))
        #expect(results.format == "conform-results")
        #expect(results.formatVersion == 2)
        #expect(results.version == 2)
        #expect(results.exitStatus == 1)
        let suite = try #require(results.suites.first)
        #expect(suite.counts == JSONResults.Counts(tests: 6, passed: 5, failed: 1, errors: 0, skipped: 0, warnings: 0, knownDeviations: 0))
        let first = try #require(suite.cases.first)
        #expect(first.outcome == "failed")
        #expect(
            first.findings.first
                == JSONResults.FindingEntry(
                    severity: "failure", check: "body.xml-schema", label: "xml-schema",
                    message:
                        "line 2: element 'AccessToken': No matching global declaration available for the validation root.",
                    location: .init(kind: "xml", line: 2, element: "AccessToken")
                ))
        #expect(first.request?.contains("client_secret=***") == true)
        #expect(outcome.stderr.contains("  FAIL  refresh with valid credentials"))
    }
}
