import Foundation
import Testing

@testable import ConformKit
@testable import conform
@testable import ConformSupport

/// What only a variable's value decides is checked when the run is planned, by `run` and `lint` alike: a
/// latency budget written as `${variable}` (in `warn` as in `expect`) and a path that starts with a
/// variable. Each problem is placed at the variable and exits 2 before anything is sent.
@Suite(.temporaryDirectories) struct PlanTimeChecksTests {
    /// A suite of one refresh case against the Pitchpoint mock, with `block` (`expect` or `warn`) holding a
    /// latency budget and a path taken from variables.
    static func suite(budgetIn block: String, budget: String = "soon", path: String = "/token") -> String {
        """
        {
          "format": 1, "name": "plan", "mock": "pitchpoint", "defaults": { "latency_budget_ms": 60000 },
          "variables": {
            "budget": { "value": "${env:PLAN_BUDGET}", "default": "\(budget)" },
            "path": { "value": "${env:PLAN_PATH}", "default": "\(path)" }
          },
          "cases": [
            {
              "name": "refresh",
              "request": { "method": "POST", "path": "${path}", "json": { "refresh_token": "made-up" } },
              "expect": { "status": "4xx"\(block == "expect" ? #", "latency_budget_ms": "${budget}""# : "") },
              "warn": { "status": 400\(block == "warn" ? #", "latency_budget_ms": "${budget}""# : "") }
            }
          ]
        }
        """
    }

    /// `lint` and `run` of a suite text: their exit statuses and standard errors, and how many requests the
    /// run sent.
    static func lintAndRun(
        _ text: String
    ) async throws -> (lint: ConformSupport.ExitStatus, run: ConformSupport.ExitStatus, errors: [String], sent: Int) {
        let path = TestPaths.writeSuite(text)
        let errors = BufferedOutput()
        let lint = ConformLint.run(
            RunOptions(suitePaths: [path]), environment: [:], output: BufferedOutput(), errors: errors, diagnostics: DiagnosticPrinter(output: errors))
        let (run, sent) = try await StartedMock.runCounting([path])
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/"
        return (
            lint, run.status, [errors.text, run.stderr].map { $0.replacingOccurrences(of: folder, with: "") },
            sent
        )
    }

    @Test(arguments: ["warn", "expect"])
    func aBudgetVariableThatIsNotMillisecondsExitsTwoBeforeSending(block: String) async throws {
        let checked = try await Self.lintAndRun(Self.suite(budgetIn: block))
        let expected =
            "suite.json:4:5: error: latency budget ${budget} is \"soon\", not a number of milliseconds above 0\n"
        #expect(checked.lint == .invalid)
        #expect(checked.run == .invalid)
        #expect(checked.errors == [expected, expected])
        #expect(checked.sent == 0)
    }

    @Test(arguments: ["warn", "expect"])
    func aBudgetVariableOfMillisecondsIsAccepted(block: String) async throws {
        let checked = try await Self.lintAndRun(
            Self.suite(budgetIn: block, budget: "60000", path: PitchpointMock.refreshPath))
        #expect(checked.lint == .passed)
        #expect(checked.run == .passed)
        #expect(checked.errors == ["", ""])
        #expect(checked.sent == 1)
    }

    @Test func aPathVariableWithoutTheSlashExitsTwoBeforeSending() async throws {
        let checked = try await Self.lintAndRun(Self.suite(budgetIn: "none", budget: "2000", path: "token"))
        let expected = "suite.json:5:5: error: the path ${path} is \"token\"; a path starts with '/' (or is an http(s) URL)\n"
        #expect(checked.lint == .invalid)
        #expect(checked.run == .invalid)
        #expect(checked.errors == [expected, expected])
        #expect(checked.sent == 0)
    }

    /// A path variable holding a URL of another scheme is refused before anything is sent.
    @Test(arguments: [
        ("file:///etc/passwd", #"the request target "file:///etc/passwd" is a file: URL; only http and https URLs, or a path starting with '/', can be sent"#),
        ("javascript:alert(1)", #"the request target "javascript:alert(1)" is a javascript: URL; only http and https URLs, or a path starting with '/', can be sent"#),
        ("http://", #"the request target "http://" is not a valid http(s) URL with a host"#),
    ])
    func aPathVariableHoldingAnotherSchemeExitsTwoBeforeSending(path: String, problem: String) async throws {
        let checked = try await Self.lintAndRun(Self.suite(budgetIn: "none", budget: "2000", path: path))
        let expected = "suite.json:5:5: error: the path ${path}: \(problem)\n"
        #expect(checked.lint == .invalid)
        #expect(checked.run == .invalid)
        #expect(checked.errors == [expected, expected])
        #expect(checked.sent == 0)
    }
}
