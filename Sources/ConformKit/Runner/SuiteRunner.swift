import Foundation

/// Runs the cases of one suite against one target, in file order.
///
/// Stages, per case:
/// 1. prepare: resolve references; skip when an optional variable or an earlier capture is missing
///    (``CasePreparer``);
/// 2. send: the request through the ``Transport``, once or as repeated samples (``CaseSampler``);
/// 3. decode: read each body once as JSON or XML (``ResponseDocument``) and register secret fields;
/// 4. check: `expect` gives failures, `warn` warnings, `report` notes (``CaseEvaluator``); latency
///    objectives look at all samples; comparison cases sample two earlier cases (``ComparisonRunner``);
/// 5. capture: keep values for later cases;
/// 6. record: hand the ``CaseResult`` to the console; the report is written from the ``SuiteResult``.
public struct SuiteRunner: Sendable {
    var suite: Suite
    var cases: [TestCase]
    /// Case name → the selected case that needs it: these cases were not selected themselves.
    var pulledIn: [String: String] = [:]
    var baseURL: URL
    var targetDescription: String
    var values: RunValues
    var transport: any Transport
    var secrets: SecretStore
    /// `--repeat` and `--concurrency`, overriding the cases' own.
    var repetition: Repetition

    public func run(console: ConsoleReporter) async -> SuiteResult {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        console.suiteStarted(name: suite.name, file: suite.file, target: targetDescription)
        let preparer = CasePreparer(suite: suite, baseURL: baseURL, secrets: secrets)
        let evaluator = CaseEvaluator(suite: suite, secrets: secrets)
        let sampler = CaseSampler(transport: transport, evaluator: evaluator)
        var values = self.values
        var results: [CaseResult] = []
        for testCase in cases {
            let caseStart = clock.now
            var result: CaseResult
            do {
                switch testCase.action {
                case .request:
                    let prepared = try preparer.prepare(testCase, values: values)
                    var (samples, concurrency, notes) = repetition.plan(for: testCase, in: suite)
                    if let dependent = pulledIn[testCase.name] {
                        notes.insert(
                            .note("selection", "not selected, run because '\(dependent)' depends on it"), at: 0)
                    }
                    let aggregator = await sampler.sample(
                        testCase, prepared, samples: samples, concurrency: concurrency)
                    let objectives = testCase.expect.latencyObjectives.map {
                        LatencyObjectiveCheck(statistic: $0.statistic, objectiveMilliseconds: $0.milliseconds)
                    }
                    guard
                        let folded = aggregator.result(
                            duration: clock.now - caseStart, objectives: objectives, notes: notes)
                    else { continue }
                    result = folded
                    for capture in testCase.captures {
                        guard let value = aggregator.captured[capture.name] else { continue }
                        if capture.secret { secrets.add(value) }
                        values.captures[capture.name] = value
                    }
                case .compare(let comparison):
                    let runner = ComparisonRunner(preparer: preparer, sampler: sampler)
                    result = try await runner.run(testCase, comparison, values: values)
                    result.duration = clock.now - caseStart
                }
            } catch {
                guard case .reason(let reason) = error else { continue }
                result = CaseResult(
                    name: testCase.name, outcome: .skipped, findings: [], skipReason: secrets.redact(reason),
                    diagnostic: "", duration: clock.now - caseStart)
            }
            result.line = testCase.location.line
            results.append(result)
            console.caseFinished(result)
        }
        return SuiteResult(
            suiteName: suite.name, suiteFile: suite.file, targetDescription: targetDescription,
            baseURL: baseURL.absoluteString, startedAt: startedAt, duration: clock.now - start, cases: results,
            transcript: console.transcript(for: suite.name))
    }
}

/// How many samples each case sends, and how many at a time.
public struct Repetition: Sendable {
    /// `--repeat`: overrides every case's `repeat`.
    public var samples: Int?
    /// `--concurrency`: overrides every case's `concurrency`.
    public var concurrency: Int?

    public init(samples: Int? = nil, concurrency: Int? = nil) {
        self.samples = samples
        self.concurrency = concurrency
    }

    /// The samples and concurrency for a case. A case that sends a secret may consume a single-use
    /// credential (a server that rotates refresh tokens revokes the one it was given), so unless the suite
    /// declares it `repeat_safe` it is sent once, never concurrently, and a note says why.
    func plan(for testCase: TestCase, in suite: Suite) -> (samples: Int, concurrency: Int, notes: [Finding]) {
        let samples = max(1, self.samples ?? testCase.repeatCount ?? 1)
        let concurrency = max(1, min(samples, self.concurrency ?? testCase.concurrency ?? 1))
        guard samples > 1 || concurrency > 1, !testCase.repeatSafe else { return (samples, concurrency, []) }
        let secrets = testCase.secretReferences(in: suite)
        guard !secrets.isEmpty else { return (samples, concurrency, []) }
        let sent = secrets.map { "${\($0)}" }.joined(separator: ", ")
        let note = Finding.note(
            "repeat",
            "sent once, not \(samples) times: it sends the secret \(sent) and is not declared \"repeat_safe\"; a server that rotates tokens would revoke it"
        )
        return (1, 1, [note])
    }
}
