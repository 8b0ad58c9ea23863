import Foundation
import Testing

@testable import ConformKit
@testable import ConformSupport

/// Every wait has a bound and every interruption still writes the reports: SIGINT and SIGTERM (real
/// signals to the real binary), `--max-time`, and the per-case time budget of sampled cases.
@Suite(.temporaryDirectories) struct InterruptionTests {
    /// Starts the binary on the Pitchpoint suite against its slow mock (2.5 s per answer), sends `signals`
    /// once the first request is in flight, and waits for it to end.
    private func interruptedRun(
        _ signals: [Int32], extra: [String] = [], environment: [String: String] = [:]
    ) async throws -> (status: Int32, stderr: String, folder: URL) {
        let folder = TestPaths.temporaryDirectory()
        let (process, output, errors) = try ConformBinary.launch(
            [
                "run", TestPaths.suite("pitchpoint.json"), "--mock-deviation", "slow",
                "--junit", folder.appendingPathComponent("report.xml").path,
                "--report-html", folder.appendingPathComponent("report.html").path,
            ] + extra, environment: environment)
        let (console, errorText) = (PipeReader(output), PipeReader(errors))
        // The first case's request leaves right after the suite's first line (on standard error with
        // --format json); the mock holds it 2.5 s.
        let header = "pitchpoint (\(TestPaths.suite("pitchpoint.json"))"
        // On a thread of its own: the signals leave on time even while other tests hold Swift's shared pool.
        let pid = process.processIdentifier
        let sent = await Blocking.run {
            guard PipeReader.waitFor(header, in: [console, errorText]) else { return false }
            usleep(300_000)
            for signal in signals {
                kill(pid, signal)
                usleep(50_000)
            }
            return true
        }
        if !sent { Issue.record("the suite's first line never appeared") }
        _ = try await console.all()
        let stderr = try await errorText.all()
        let status = await ConformBinary.finish(process, interrupt: false)
        return (status, stderr, folder)
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func aSignalStopsSendingAndWritesEveryReport(signal: Int32, status: Int32, name: String) async throws {
        let summary = TestPaths.temporaryDirectory().appendingPathComponent("summary.md")
        let run = try await interruptedRun(
            [signal], extra: ["--format", "json"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        #expect(run.status == status)
        #expect(run.stderr.contains("conform: the run was interrupted by \(name); the reports hold what was done\n"))
        let report = try #require(FileManager.default.contents(atPath: run.folder.appendingPathComponent("report.xml").path))
        #expect(JUnitSchemas.problems(report) == [])
        let junit = try JUnitReader.read(report, file: "report.xml")
        let cases = try #require(junit.suites.first?.testCases)
        #expect(cases.count == 10)
        #expect(cases[0].result?.kind == .error)
        #expect(cases[0].result?.type == "interrupted")
        #expect(cases[0].result?.message == "the run was interrupted by \(name) while this case was running")
        #expect(cases.dropFirst().allSatisfy { $0.result?.kind == .skipped })
        #expect(cases[1].result?.message == "not run: the run was interrupted by \(name)")
        let html = try #require(FileManager.default.contents(atPath: run.folder.appendingPathComponent("report.html").path))
        #expect(String(decoding: html, as: UTF8.self).contains("the run was interrupted by \(name)"))
        let step = try String(contentsOf: summary, encoding: .utf8)
        #expect(step.contains("| pitchpoint | 10 | 0 | 0 | 1 | 9 |"))
    }

    /// The first signal stops the run and the reports are written; a second one means now.
    @Test func aSecondSignalMeansExitAtOnce() async throws {
        let control = RunControl()
        let interrupted = BufferedOutput()
        control.onInterrupt { interrupted.write("cancelled") }
        #expect(control.receivedSignal(name: "SIGINT", number: SIGINT) == false)
        #expect(interrupted.text == "cancelled")
        #expect(control.interruption == .signal(name: "SIGINT", number: SIGINT))
        #expect(control.receivedSignal(name: "SIGTERM", number: SIGTERM) == true)
        #expect(control.interruption == .signal(name: "SIGINT", number: SIGINT))
        // Two signals back to back: the binary exits 130 however far the first one got.
        let run = try await interruptedRun([SIGINT, SIGINT])
        #expect(run.status == 130)
    }

    /// The exit status after an interruption, whatever the cases gave: 128 + the signal's number (130 for
    /// SIGINT, 143 for SIGTERM); after --max-time, 1 for a run whose cases all passed, a worse status kept.
    @Test func anInterruptionDecidesTheExitStatus() {
        let sigint = RunControl.Interruption.signal(name: "SIGINT", number: SIGINT)
        let sigterm = RunControl.Interruption.signal(name: "SIGTERM", number: SIGTERM)
        let maxTime = RunControl.Interruption.maxTime(seconds: 30)
        for status in [ConformSupport.ExitStatus.passed, .failed, .invalid] {
            #expect(sigint.exitStatus(after: status).rawValue == 130)
            #expect(sigterm.exitStatus(after: status).rawValue == 143)
        }
        #expect(maxTime.exitStatus(after: .passed).rawValue == 1)
        #expect(maxTime.exitStatus(after: .failed).rawValue == 1)
        #expect(maxTime.exitStatus(after: .invalid).rawValue == 2)
    }

    @Test func maxTimeCutsTheCaseInFlightAndSkipsTheRest() async throws {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.mockDelayMilliseconds = 400
            $0.maxTimeSeconds = 1
        }
        #expect(outcome.status == .failed)
        #expect(outcome.stderr.contains("conform: --max-time 1 s ran out; the reports hold what was done\n"))
        #expect(JUnitSchemas.problems(outcome.report) == [])
        let cases = try #require(try JUnitReader.read(outcome.report, file: "r").suites.first?.testCases)
        #expect(cases.count == 10)
        let cut = try #require(cases.firstIndex { $0.result?.kind == .error })
        #expect(cases[cut].result?.message == "--max-time 1 s ran out while this case was running")
        #expect(cases[..<cut].allSatisfy { $0.result == nil })
        #expect(cases[(cut + 1)...].allSatisfy { $0.result?.message == "not run: --max-time 1 s ran out" })
    }

    @Test func aCaseTimeBudgetStopsSamplingAndSaysHowManyWereTaken() async throws {
        let outcome = await runConform([TestPaths.fixtureSuite("pitchpoint-refresh-only.json")]) {
            $0.mockDelayMilliseconds = 100
            $0.repeatCount = 1000
            $0.maxCaseTimeSeconds = 0.5
        }
        #expect(outcome.status == .passed)
        let line = try #require(outcome.stdout.firstMatch(of: /warning \[samples\]: stopped after (\d+) of 1000 samples: the case's time budget of 0.5 s ran out \(--max-case-time\)/))
        let taken = try #require(Int(line.1))
        // One sample at a time, 100 ms each: the budget of 500 ms lets a handful through, never all (on a
        // loaded machine as few as one).
        #expect((1...8).contains(taken))
        #expect(outcome.stdout.contains("(200, \(taken) samples,"))
        #expect(outcome.reportText.contains(#"name="refresh with valid token.latency.samples" value="\#(taken)""#))
    }

    @Test func aComparisonIsBoundedByTheCaseTimeBudget() async throws {
        let outcome = await runConform([TestPaths.suite("pitchpoint.json")]) {
            $0.mockDelayMilliseconds = 100
            $0.maxCaseTimeSeconds = 0.5
            $0.filter = "faster than"
        }
        let line = try #require(outcome.stdout.firstMatch(of: /warning \[samples\]: stopped after (\d+) of 20 samples of each case: the case's time budget of 0.5 s ran out/))
        #expect((1...4).contains(try #require(Int(line.1))))
    }
}

@Suite struct RunProgressTests {
    @Test func aSlowCaseSaysSoOnce() throws {
        let progress = RunProgress()
        progress.startSuite("pitchpoint", cases: 10)
        progress.startCase("refresh", samples: 200)
        for _ in 0..<12 { progress.sampleTaken() }
        let now = try #require(progress.snapshot.caseStarted)
        #expect(progress.slowCaseNotice(after: .seconds(5), now: now) == nil)
        #expect(
            progress.slowCaseNotice(after: .seconds(5), now: now + .seconds(6))
                == "  … 'refresh' is still running after 6 s (12 of 200 samples)")
        #expect(progress.slowCaseNotice(after: .seconds(5), now: now + .seconds(9)) == nil)
        progress.finishCase()
        progress.startCase("sign in", samples: 1)
        let started = try #require(progress.snapshot.caseStarted)
        #expect(
            progress.slowCaseNotice(after: .seconds(5), now: started + .seconds(7))
                == "  … 'sign in' is still running after 7 s")
    }

    @Test func theLiveLineShowsCasesSamplesRateAndTime() {
        let progress = RunProgress()
        progress.startSuite("pitchpoint", cases: 10)
        progress.finishCase()
        progress.finishCase()
        progress.startCase("refresh", samples: 20000)
        for _ in 0..<3000 { progress.sampleTaken() }
        let line = progress.line(now: progress.snapshot.caseStarted! + .seconds(2))
        #expect(line.hasPrefix("pitchpoint [2/10] refresh: 3000/20000 samples, 1500/s, "))
        #expect(line.hasSuffix(" s"))
    }

    @Test func theProgressLineIsErasedBeforeTheNextLine() {
        let terminal = TerminalOutput()
        let boundary = OutputBoundary(output: terminal, errors: terminal, environment: ["NO_COLOR": ""])
        boundary.progress("pitchpoint [0/1] refresh, 0.2 s", to: .output)
        boundary.print("  PASS  refresh (200, 1 ms)", to: .output)
        #expect(terminal.text == "\r\u{1B}[Kpitchpoint [0/1] refresh, 0.2 s\r\u{1B}[K  PASS  refresh (200, 1 ms)\n")
        let pipe = BufferedOutput()
        OutputBoundary(output: pipe, errors: pipe).progress("x", to: .output)
        #expect(pipe.text == "")
    }
}
