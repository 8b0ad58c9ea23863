@testable import ConformHTTP
import Foundation
import Testing

@testable import ConformKit

/// The runner's own logic over a ``ScriptedTransport``, with no socket: how many samples a case sends, how
/// many at once, the resend of an idempotent request whose reused connection closed, the case time budget,
/// `--max-time` and `--fail-fast`.
@Suite(.temporaryDirectories) struct SuiteRunnerScriptedTests {
    /// A runner for a suite of `cases` (JSON objects), written to a file and compiled as `conform run` does.
    private func runner(
        _ cases: [String], transport: ScriptedTransport, repetition: Repetition = Repetition(),
        secrets: SecretStore = SecretStore()
    ) throws -> SuiteRunner {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("scripted.json")
        let text = #"{"format": 1, "name": "scripted", "cases": ["# + cases.joined(separator: ",") + "]}"
        try Data(text.utf8).write(to: path)
        let compiled = try SuiteCompiler().compile(try SuiteLoader().load(path.path).get()).get()
        return SuiteRunner(
            compiled: compiled, cases: compiled.suite.cases, baseURL: URL(string: "http://conform.test")!,
            targetDescription: "a scripted transport", values: RunValues(variables: [:], unset: [:]),
            transport: transport, secrets: secrets, repetition: repetition)
    }

    private func get(_ name: String, _ extra: String = "") -> String {
        #"{"name": "\#(name)", "request": {"method": "GET", "path": "/\#(name)"}, "expect": {"status": 200}\#(extra)}"#
    }

    private func post(_ name: String) -> String {
        #"{"name": "\#(name)", "request": {"method": "POST", "path": "/\#(name)"}, "expect": {"status": 200}}"#
    }

    private func run(_ runner: SuiteRunner) async -> SuiteResult {
        await runner.run(
            console: ConsoleReporter(boundary: OutputBoundary(output: BufferedOutput(), errors: BufferedOutput())))
    }

    @Test func aRepeatedCaseSendsEachSampleAndCountsThem() async throws {
        let transport = ScriptedTransport { _, _ in .response(status: 200) }
        let result = await run(try runner([get("a", #", "repeat": 5"#)], transport: transport))
        let only = try #require(result.cases.first)
        #expect(only.outcome == .passed)
        #expect(only.samples == 5)
        #expect(only.latency?.samples == 5)
        #expect(transport.requests.count == 5)
        #expect(transport.requests.allSatisfy { $0.url.absoluteString == "http://conform.test/a" })
        // One keep-alive connection served them all.
        #expect(transport.connectionsOpened == 1)
    }

    @Test func repeatOverridesTheCaseAndConcurrencyBoundsTheSamplesInFlight() async throws {
        let transport = ScriptedTransport { _, _ in .response(status: 200, after: .milliseconds(100)) }
        let result = await run(
            try runner(
                [get("a", #", "repeat": 2, "concurrency": 3"#)], transport: transport,
                repetition: Repetition(samples: 9)))
        #expect(result.cases.first?.samples == 9)
        #expect(transport.requests.count == 9)
        // Three workers share the samples: never more than three wait at once, and more than one do.
        #expect((2...3).contains(transport.mostInFlight))
    }

    /// RFC 9110 §9.2.2: a GET whose reused connection closed before answering is sent once more, on a new
    /// connection, and the case says so.
    @Test func anIdempotentRequestIsResentOnceWhenItsReusedConnectionCloses() async throws {
        let transport = ScriptedTransport { attempt, _ in
            attempt.index == 1 ? .closedBeforeAnswering : .response(status: 200)
        }
        let result = await run(try runner([get("first"), get("second")], transport: transport))
        #expect(result.cases.map(\.outcome) == [.passed, .passed])
        #expect(result.cases[1].notes.map(\.message) == [Exchange.resentNote])
        #expect(result.cases[0].notes.isEmpty)
        #expect(transport.requests.map(\.url.path) == ["/first", "/second", "/second"])
        #expect(transport.connectionsOpened == 2)
    }

    @Test func aPostIsNotResentWhenItsReusedConnectionCloses() async throws {
        let transport = ScriptedTransport { attempt, _ in
            attempt.index == 1 ? .closedBeforeAnswering : .response(status: 200)
        }
        let result = await run(try runner([get("first"), post("second")], transport: transport))
        #expect(result.cases.map(\.outcome) == [.passed, .errored])
        #expect(result.cases[1].transportFailure == .reusedConnectionClosed(method: "POST"))
        #expect(
            result.cases[1].transportFailure?.description
                == "the server closed a reused keep-alive connection before answering; POST is not idempotent, so it was not resent (RFC 9110 §9.2.2)"
        )
        #expect(transport.requests.count == 2)
    }

    /// A new connection that closes is the server's answer, not a race: nothing is resent. Nor is a resend
    /// whose new connection closes too.
    @Test func aNewConnectionThatClosesIsNotResent() async throws {
        let fresh = ScriptedTransport { _, _ in .closedBeforeAnswering }
        let first = await run(try runner([get("a")], transport: fresh))
        #expect(first.cases.first?.transportFailure == .closedWithoutResponse)
        #expect(fresh.requests.count == 1)

        let twice = ScriptedTransport { attempt, _ in
            attempt.index == 0 ? .response(status: 200) : .closedBeforeAnswering
        }
        let second = await run(try runner([get("first"), get("second")], transport: twice))
        #expect(second.cases[1].outcome == .errored)
        #expect(second.cases[1].transportFailure == .closedWithoutResponse)
        #expect(twice.requests.map(\.url.path) == ["/first", "/second", "/second"])
    }

    @Test func theCaseTimeBudgetStopsSamplingAndSaysHowManyWereTaken() async throws {
        let transport = ScriptedTransport { _, _ in .response(status: 200, after: .milliseconds(20)) }
        var runner = try runner([get("a", #", "repeat": 1000"#)], transport: transport)
        runner.caseTime = .milliseconds(300)
        let result = await run(runner)
        let only = try #require(result.cases.first)
        let taken = only.samples
        #expect((1..<1000).contains(taken))
        // Every sample taken was sent, and none more: the one in flight at the deadline finished.
        #expect(transport.requests.count == taken)
        #expect(
            only.warnings.map(\.message)
                == ["stopped after \(taken) of 1000 samples: the case's time budget of 0.3 s ran out (--max-case-time)"]
        )
    }

    /// `--max-time` as `conform run` wires it: the interruption cancels the task that sends; the case in
    /// flight is an error that says so and the rest are skipped, all still in the result.
    @Test func maxTimeCutsTheCaseInFlightAndSkipsTheRest() async throws {
        let transport = ScriptedTransport { _, _ in .response(status: 200, after: .seconds(60)) }
        var runner = try runner([get("a"), get("b"), get("c")], transport: transport)
        let control = RunControl()
        runner.control = control
        let sending = Task { [runner] in await run(runner) }
        control.onInterrupt { sending.cancel() }
        for _ in 0..<500 where transport.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(transport.requests.count == 1)
        control.interrupt(.maxTime(seconds: 1))
        let result = await sending.value
        #expect(result.cases.map(\.outcome) == [.errored, .skipped, .skipped])
        #expect(result.cases[0].transportFailure == .interrupted("--max-time 1 s ran out"))
        #expect(result.cases[0].transportFailure?.description == "--max-time 1 s ran out while this case was running")
        #expect(
            result.cases[1...].map(\.skipReason) == [
                "not run: --max-time 1 s ran out", "not run: --max-time 1 s ran out",
            ])
        #expect(transport.requests.count == 1)
    }

    @Test func failFastSkipsWhatFollowsTheFirstFailure() async throws {
        let failing = {
            @Sendable (attempt: ScriptedTransport.Attempt, _: PreparedRequest) -> ScriptedTransport.Answer in
            attempt.index == 0 ? .response(status: 500) : .response(status: 200)
        }
        let transport = ScriptedTransport(failing)
        var runner = try runner([get("a"), get("b"), get("c")], transport: transport)
        runner.failFast = true
        let result = await run(runner)
        #expect(result.cases.map(\.outcome) == [.failed, .skipped, .skipped])
        #expect(result.cases[1].skipReason == "not run: --fail-fast after 'a' failed")
        #expect(transport.requests.count == 1)

        // Without the flag, every case runs.
        let all = ScriptedTransport(failing)
        let everyCase = await run(try self.runner([get("a"), get("b"), get("c")], transport: all))
        #expect(everyCase.cases.map(\.outcome) == [.failed, .passed, .passed])
        #expect(all.requests.count == 3)
    }

    @Test func anErrorStopsAFailFastRunToo() async throws {
        let transport = ScriptedTransport { _, _ in .failure(.connectionRefused(target: "conform.test:80")) }
        var runner = try runner([get("a"), get("b")], transport: transport)
        runner.failFast = true
        let result = await run(runner)
        #expect(result.cases.map(\.outcome) == [.errored, .skipped])
        #expect(result.cases[1].skipReason == "not run: --fail-fast after 'a' had an error")
        #expect(result.cases[0].transportFailure?.kind == "connection-refused")
    }

    /// The HAR shows every sample whole, the report only some: the tokens of every sample the archive keeps
    /// are registered as secrets, so that the archive masks them too. Without the archive, the samples the
    /// report leaves out register nothing.
    @Test func everySampleTheArchiveKeepsHasItsSecretsRegistered() async throws {
        let token = { @Sendable (index: Int) in "tok-\(index)-abcdefghijklmnop" }
        let script = { @Sendable (attempt: ScriptedTransport.Attempt, _: PreparedRequest) -> ScriptedTransport.Answer in
            .response(
                status: 200, body: #"{"access_token": "\#(token(attempt.index))"}"#,
                headers: [("Content-Type", "application/json")])
        }
        let recorded = SecretStore()
        var runner = try runner([get("a", #", "repeat": 20"#)], transport: ScriptedTransport(script), secrets: recorded)
        runner.observers = RunObservers([HARRecorder()])
        _ = await run(runner)
        #expect((0..<20).filter { !recorded.contains(token($0)) } == [])

        let unrecorded = SecretStore()
        _ = await run(
            try self.runner([get("a", #", "repeat": 20"#)], transport: ScriptedTransport(script), secrets: unrecorded))
        #expect((0..<20).filter { !unrecorded.contains(token($0)) }.count > 10)
    }
}
