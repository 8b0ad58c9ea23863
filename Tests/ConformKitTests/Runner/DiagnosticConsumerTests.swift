import ConformSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import ConformKit
@testable import conform

/// A consumer that keeps what it is given, as the values it is given.
final class RecordingDiagnostics: DiagnosticConsumer {
    private let received = NIOLockedValueBox<[[RunDiagnostic]]>([])
    /// Each call's diagnostics, in order.
    var calls: [[RunDiagnostic]] { received.withLockedValue { $0 } }

    func consume(_ diagnostics: [RunDiagnostic]) {
        received.withLockedValue { $0.append(diagnostics) }
    }
}

/// The library hands its diagnostics to the command line as data; it writes none itself.
@Suite struct DiagnosticConsumerTests {
    /// An invocation the library refuses: nothing on either stream, the problems as values, together.
    @Test func aRefusedRunHandsItsProblemsOverAndWritesNothing() async {
        var options = RunOptions(suitePaths: [])
        options.timeoutSeconds = 0
        let output = BufferedOutput()
        let errors = BufferedOutput()
        let recorder = RecordingDiagnostics()
        let status = await ConformRun.run(
            options, environment: [:], output: output, errors: errors, diagnostics: recorder)
        #expect(status == .invalid)
        #expect(output.text == "")
        #expect(errors.text == "")
        #expect(
            recorder.calls == [
                [
                    .error("no suite given: conform run SUITE.json..."),
                    .error("--timeout must be a number of seconds above 0 and at most 3600, got 0"),
                ]
            ])
    }

    /// Lint and merge hand theirs over the same way.
    @Test func lintAndMergeHandTheirProblemsOver() {
        let errors = BufferedOutput()
        let recorder = RecordingDiagnostics()
        #expect(
            ConformLint.run(
                RunOptions(suitePaths: []), environment: [:], output: BufferedOutput(), errors: errors,
                diagnostics: recorder) == .invalid)
        #expect(
            ConformMerge.run(
                inputs: [], output: nil, console: BufferedOutput(), errors: errors, diagnostics: recorder)
                == .invalid)
        #expect(errors.text == "")
        #expect(
            recorder.calls == [
                [.error("no suite given: conform run SUITE.json...")],
                [.error("conform merge needs --junit PATH for the merged report")],
            ])
    }

    /// What reaches the command line is masked and safe for a terminal in every text (message, subject,
    /// path), line by line, and keeps its severity and its line and column.
    @Test func everyTextIsMaskedAndNeutralisedBeforeItIsHandedOver() {
        let recorder = RecordingDiagnostics()
        let boundary = OutputBoundary(
            secrets: SecretStore(["rt-SECRET-123456"]), output: BufferedOutput(), errors: BufferedOutput(),
            diagnostics: recorder)
        boundary.diagnose([
            .error("refused rt-SECRET-123456\n::error::forged\u{1B}[2J", at: .subject("--var t=rt-SECRET-123456")),
            .warning("odd", at: .file("::warning file=rt-SECRET-123456::x", line: 3, column: 4)),
        ])
        #expect(
            recorder.calls == [
                [
                    .error(#"refused ***"# + "\n" + #"\::error::forged\u{1B}[2J"#, at: .subject("--var t=***")),
                    .warning("odd", at: .file(#"\::warning file=***::x"#, line: 3, column: 4)),
                ]
            ])
    }

    /// A diagnostic said while a progress line is shown on standard error starts on a clean line.
    @Test func aProgressLineIsErasedBeforeADiagnostic() {
        let terminal = TerminalOutput()
        let boundary = OutputBoundary(output: BufferedOutput(), errors: terminal, environment: ["NO_COLOR": ""])
        boundary.progress("pitchpoint [0/1] refresh", to: .error)
        boundary.diagnose(.warning("cannot append to GITHUB_STEP_SUMMARY"))
        #expect(
            terminal.text
                == "\r\u{1B}[Kpitchpoint [0/1] refresh\r\u{1B}[Kconform: warning: cannot append to GITHUB_STEP_SUMMARY\n"
        )
    }

    /// How a run ended early is said without a label; a short secret's warning is a warning.
    @Test func theCommandLineWordsEachSeverity() {
        let outcome = RunDiagnostic(.outcome, "stopped by SIGINT; the reports hold what was done")
        #expect(DiagnosticPrinter.line(for: outcome) == "conform: stopped by SIGINT; the reports hold what was done")
        let recorder = RecordingDiagnostics()
        let boundary = OutputBoundary(output: BufferedOutput(), errors: BufferedOutput(), diagnostics: recorder)
        boundary.secrets.add("1234", origin: "the secret variable 'pin'")
        #expect(
            recorder.calls == [
                [
                    .warning(
                        "the secret variable 'pin' is shorter than 6 characters: it is masked only where it stands as a whole value"
                    )
                ]
            ])
    }
}
