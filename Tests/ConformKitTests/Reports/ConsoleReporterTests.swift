import Testing

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
        ConsoleReporter(output: terminal, environment: [:]).caseFinished(passed)
        #expect(terminal.text == "\u{1B}[32m  PASS  refresh (200, 3 ms)\u{1B}[0m\n")
    }

    @Test func neverWithNoColour() {
        let terminal = TerminalOutput()
        ConsoleReporter(output: terminal, environment: ["NO_COLOR": ""]).caseFinished(passed)
        #expect(terminal.text == "  PASS  refresh (200, 3 ms)\n")
    }

    @Test func neverWhenNotATerminal() {
        let buffer = BufferedOutput()
        ConsoleReporter(output: buffer, environment: [:]).caseFinished(passed)
        #expect(buffer.text == "  PASS  refresh (200, 3 ms)\n")
    }
}
