import ConformSupport
import ConformHTTP
import Foundation

/// Runs the cases of one suite against one target, in file order.
///
/// Stages, per case:
/// 1. prepare: resolve references; skip when an optional variable or an earlier capture is missing
///    (``CasePreparer``);
/// 2. send: the request through the ``Transport``, once or as repeated samples within the case's time
///    budget (``CaseSampler``);
/// 3. decode: read each body once as JSON or XML (``ResponseDocument``);
/// 4. check: `expect` gives failures, `warn` warnings, `report` notes (``CaseEvaluator``); latency
///    objectives look at all samples; comparison cases sample two earlier cases (``ComparisonRunner``);
/// 5. capture: keep values for later cases;
/// 6. record: hand the ``CaseResult`` to the console; the report is written from the ``SuiteResult``.
///
/// When the run is interrupted (``RunControl``), the case in flight ends as an error that says so and the
/// cases not reached are skipped, so that the reports stay complete.
struct SuiteRunner: Sendable {
    var compiled: CompiledSuite
    var suite: Suite { compiled.suite }
    var cases: [TestCase]
    /// Case name → the selected case that needs it: these cases were not selected themselves.
    var pulledIn: [String: String] = [:]
    var baseURL: URL
    var targetDescription: String
    var values: RunValues
    var transport: any Transport
    var secrets: SecretStore
    /// `--repeat` and `--concurrency`, overriding the cases' own, and whether cases that send a secret repeat.
    var repetition: Repetition
    /// `--max-case-time`: how long one case may sample.
    var caseTime: Duration = .seconds(ConformDefaults.caseTimeSeconds)
    var control = RunControl()
    /// The live outputs besides the console: the progress line, `--har`'s recording.
    var observers = RunObservers()
    /// `--baseline`: failures it knows become known deviations.
    var baseline: Baseline?
    /// `--mock-tls`: how the embedded mock serves HTTPS.
    var mockTLS: MockTLS?
    /// `--rate`: one pacer for the whole run.
    var pacer: RequestPacer?
    /// `--fail-fast`: a failed or errored case skips the rest of the run (``RunControl/failFast(after:_:)``).
    var failFast = false
    /// Warnings about the whole run that every suite's reports repeat (`--insecure`).
    var runWarnings: [Finding] = []

    /// Runs the suite's cases; the console observes them first and keeps the transcript the report holds.
    func run(console: ConsoleReporter) async -> SuiteResult {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let warnings = runWarnings + [repetition.warning(for: cases, in: suite)].compactMap { $0 }
        let observers = RunObservers([console as any RunObserver] + self.observers.all)
        observers.suiteStarted(
            SuiteStart(
                name: suite.name, file: suite.file, target: targetDescription, warnings: warnings, cases: cases.count))
        let preparer = CasePreparer(compiled: compiled, baseURL: baseURL, secrets: secrets)
        let sampler = CaseSampler(
            transport: transport, evaluator: CaseEvaluator(suite: suite), secrets: secrets, budget: caseTime,
            observers: observers, suite: suite.name, pacer: pacer, control: control)
        var values = self.values
        var results: [CaseResult] = []
        var repeatedNotes = RepeatedNotes()
        for testCase in cases {
            let caseStart = clock.now
            var result: CaseResult
            if let interruption = control.interruption {
                result = Self.skipped(testCase, "not run: \(interruption.cause)")
            } else if let cause = control.failedFast {
                result = Self.skipped(testCase, "not run: \(cause)")
            } else {
                result = await run(
                    testCase, preparer: preparer, sampler: sampler, observers: observers, values: &values)
                if let interruption = control.interruption, result.outcome != .skipped {
                    Self.markInterrupted(&result, interruption)
                }
            }
            result.duration = clock.now - caseStart
            result.line = testCase.location.line
            baseline?.apply(to: &result, suite: suite.name)
            repeatedNotes.filter(&result)
            if failFast, result.outcome == .failed || result.outcome == .errored {
                control.failFast(after: testCase.name, result.outcome)
            }
            values.outcomes[testCase.name] = result.outcome
            results.append(result)
            observers.caseFinished(result)
        }
        let suiteNotes = repeatedNotes.suiteNotes(moving: &results)
        return SuiteResult(
            suiteName: suite.name, suiteFile: suite.file, targetDescription: targetDescription,
            baseURL: baseURL.absoluteString, startedAt: startedAt, duration: clock.now - start, cases: results,
            transcript: console.suiteTranscript(), suiteWarnings: warnings, suiteNotes: suiteNotes)
    }

    /// One case: its samples folded into a result, its captures kept for later cases.
    private func run(
        _ testCase: TestCase, preparer: CasePreparer, sampler: CaseSampler, observers: RunObservers,
        values: inout RunValues
    ) async -> CaseResult {
        do {
            switch testCase.action {
            case .request:
                await fetchKeySets(for: testCase, values: &values)
                let prepared = try preparer.prepare(testCase, values: values)
                var (samples, concurrency, notes) = repetition.plan(for: testCase, in: suite)
                if let dependent = pulledIn[testCase.name] {
                    notes.insert(.note(.selection, "not selected, run because '\(dependent)' depends on it"), at: 0)
                }
                observers.caseStarted(testCase.name, samples: samples)
                let sampling = await sampler.sample(testCase, prepared, samples: samples, concurrency: concurrency)
                if let skip = sampling.skipped {
                    var result = Self.skipped(testCase, "\(skip.reason) (the endpoint answered \(skip.status))")
                    result.request = prepared.requestLine
                    result.status = skip.status
                    return result
                }
                if sampling.stoppedByBudget {
                    notes.append(budgetWarning(taken: sampling.aggregator.taken, of: samples))
                }
                let objectives = testCase.expect.latencyObjectives.map {
                    LatencyObjectiveCheck(statistic: $0.statistic, objectiveMilliseconds: $0.milliseconds)
                }
                guard let result = sampling.aggregator.result(duration: .zero, objectives: objectives, notes: notes)
                else {
                    // Not one sample was taken: the run was interrupted before the first request left.
                    return CaseResult(
                        name: testCase.name, outcome: .errored, findings: notes, diagnostic: "", duration: .zero)
                }
                for capture in testCase.captures {
                    guard let value = sampling.aggregator.captured[capture.name] else { continue }
                    if capture.secret { secrets.add(value, origin: "the secret capture '\(capture.name)'") }
                    values.captures[capture.name] = value
                }
                return result
            case .compare(let comparison):
                observers.caseStarted(testCase.name, samples: comparison.samples * 2)
                let runner = ComparisonRunner(preparer: preparer, sampler: sampler)
                return try await runner.run(testCase, comparison, values: values)
            }
        } catch {
            switch error {
            case .reason(let reason): return Self.skipped(testCase, reason)
            case .unsendable(let problem): return Self.unsendable(testCase, .invalidRequest(problem))
            }
        }
    }

    /// "stopped after 4 of 40 samples: the case's time budget of 10 s ran out (--max-case-time)".
    func budgetWarning(taken: Int, of planned: Int) -> Finding {
        .warning(
            .samplesStopped,
            "stopped after \(taken) of \(planned) samples: the case's time budget of \(Milliseconds.text(caseTime.milliseconds / 1000)) s ran out (--max-case-time)"
        )
    }

    /// A case whose request the suite's values cannot make: an error, so that a suite bug fails the run.
    private static func unsendable(_ testCase: TestCase, _ failure: TransportFailure) -> CaseResult {
        var result = CaseResult(
            name: testCase.name, outcome: .errored, findings: [],
            diagnostic: CaseDiagnostic([.error(kind: failure.kind, message: failure.description)]), duration: .zero)
        result.transportFailure = failure
        return result
    }

    private static func skipped(_ testCase: TestCase, _ reason: String) -> CaseResult {
        CaseResult(
            name: testCase.name, outcome: .skipped, findings: [], skipReason: reason, diagnostic: "", duration: .zero)
    }

    /// The case in flight when the run stopped is an error that says so, whatever its samples showed.
    private static func markInterrupted(_ result: inout CaseResult, _ interruption: RunControl.Interruption) {
        let failure = TransportFailure.interrupted(interruption.cause)
        let taken = result.samples > 1 ? " (\(result.samples) samples taken)" : ""
        result.outcome = .errored
        result.transportFailure = failure
        result.diagnostic = CaseDiagnostic(
            [.error(kind: failure.kind, message: "\(failure)\(taken)")] + result.diagnostic.lines)
    }
}
