import Foundation
import Testing

@testable import ConformHTTP
@testable import ConformKit

/// A terminal stand-in: collects text and says it is a terminal.
final class TerminalOutput: TextOutput, @unchecked Sendable {
    private(set) var text = ""
    func write(_ text: String) { self.text += text }
    var isTerminal: Bool { true }
}

@Suite struct ConsoleReporterTests {
    private let passed = CaseResult(
        name: "refresh", outcome: .passed, findings: [], status: 200,
        timing: ExchangeTiming(connection: .reused, queue: .milliseconds(1), total: .milliseconds(4)),
        diagnostic: "", duration: .milliseconds(4))

    @Test func colourOnATerminal() {
        let terminal = TerminalOutput()
        ConsoleReporter(boundary: OutputBoundary(output: terminal, errors: terminal)).caseFinished(passed)
        #expect(terminal.text == "\u{1B}[32m  PASS  refresh (200, 3 ms)\u{1B}[0m\n")
    }

    @Test func neverWithNoColour() {
        let terminal = TerminalOutput()
        ConsoleReporter(boundary: OutputBoundary(output: terminal, errors: terminal, environment: ["NO_COLOR": ""]))
            .caseFinished(passed)
        #expect(terminal.text == "  PASS  refresh (200, 3 ms)\n")
    }

    @Test func neverWhenNotATerminal() {
        let buffer = BufferedOutput()
        ConsoleReporter(boundary: OutputBoundary(output: buffer, errors: buffer)).caseFinished(passed)
        #expect(buffer.text == "  PASS  refresh (200, 3 ms)\n")
    }

    @Test func showsWhatTheServerSentEscapedAndNeverAsAWorkflowCommand() {
        let terminal = TerminalOutput()
        var failed = passed
        failed.outcome = .failed
        failed.findings = [.failure(.status, "expected 200, got 500")]
        failed.diagnostic = "failure [status]: expected 200, got 500\nbody: \u{1B}[2J\n::add-mask::x\n  ::error::y"
        ConsoleReporter(boundary: OutputBoundary(output: terminal, errors: terminal, environment: ["NO_COLOR": ""]))
            .caseFinished(failed)
        #expect(
            terminal.text == """
                  FAIL  refresh (200, 3 ms)
                        failure [status]: expected 200, got 500
                        body: \\u{1B}[2J
                \\        ::add-mask::x
                \\          ::error::y

                """)
    }

    @Test func masksEveryLineItPrints() {
        let buffer = BufferedOutput()
        var failed = passed
        failed.outcome = .failed
        failed.diagnostic = "request: GET http://h/t?refresh_token=rt-SECRET-1\nbody: {\"e\":\"rt-SECRET-1\"}"
        ConsoleReporter(boundary: OutputBoundary(secrets: SecretStore(["rt-SECRET-1"]), output: buffer, errors: buffer))
            .caseFinished(failed)
        #expect(buffer.text.contains("refresh_token=***"))
        #expect(!buffer.text.contains("rt-SECRET-1"))
    }
}

/// The console lines of a suite are its report's `<system-out>`, whatever other suite has the same name.
@Suite(.temporaryDirectories) struct ConsoleTranscriptTests {
    static func suite(named name: String, caseName: String) -> String {
        """
        {
          "format": 1, "name": "\(name)", "mock": "pitchpoint",
          "variables": { "refresh_token": { "value": "${env:PITCHPOINT_REFRESH_TOKEN}", "secret": true } },
          "secret_fields": ["access_token", "refresh_token"],
          "cases": [
            {
              "name": "\(caseName)",
              "request": {
                "method": "POST", "path": "/user-management-services-ws/oauth2/002/refreshIdToken",
                "json": { "refresh_token": "${refresh_token}" }
              },
              "expect": { "status": 200 }
            }
          ]
        }
        """
    }

    @Test func twoSuitesWithOneNameKeepTheirOwnLines() async throws {
        let first = TestPaths.writeSuite(Self.suite(named: "twin", caseName: "first case"), name: "first.json")
        let second = TestPaths.writeSuite(Self.suite(named: "twin", caseName: "second case"), name: "second.json")
        let outcome = await runConform([first, second])
        #expect(outcome.status == .passed)
        let document = try JUnitReader.read(outcome.report, file: outcome.reportPath)
        #expect(
            document.suites.map { normalized($0.systemOut) } == [
                "twin (\(first), embedded mock pitchpoint at http://127.0.0.1:PORT)\n  PASS  first case (200, N ms)\n",
                "twin (\(second), embedded mock pitchpoint at http://127.0.0.1:PORT)\n  PASS  second case (200, N ms)\n",
            ])
    }
}
