import Foundation

/// Runs the cases of one suite against one target, in file order.
///
/// Stages, per case:
/// 1. prepare: resolve references; skip when an optional variable or an earlier capture is missing
///    (``CasePreparer``);
/// 2. send: one request through ``HTTPTransport``, giving an ``Exchange``;
/// 3. decode: read the body once as JSON or XML (``ResponseDocument``) and register secret fields;
/// 4. check: `expect` gives failures, `warn` warnings, `report` notes (``CaseEvaluator``);
/// 5. capture: keep values for later cases;
/// 6. record: hand the ``CaseResult`` to the console; the report is written from the ``SuiteResult``.
public struct SuiteRunner: Sendable {
    var suite: Suite
    var cases: [TestCase]
    var baseURL: URL
    var targetDescription: String
    var values: RunValues
    var transport: HTTPTransport
    var secrets: SecretStore

    public func run(console: ConsoleReporter) async -> SuiteResult {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        console.suiteStarted(name: suite.name, file: suite.file, target: targetDescription)
        let preparer = CasePreparer(suite: suite, baseURL: baseURL)
        let evaluator = CaseEvaluator(suite: suite, secrets: secrets)
        var values = self.values
        var results: [CaseResult] = []
        for testCase in cases {
            let caseStart = clock.now
            let result: CaseResult
            do {
                let prepared = try preparer.prepare(testCase, values: values)
                let exchange = await transport.send(prepared.request)
                let evaluation = evaluator.evaluate(testCase, prepared, exchange, duration: clock.now - caseStart)
                values.captures.merge(evaluation.captured) { $1 }
                result = evaluation.result
            } catch {
                guard case .reason(let reason) = error else { continue }
                result = CaseResult(
                    name: testCase.name, outcome: .skipped, findings: [], skipReason: secrets.redact(reason),
                    diagnostic: "", duration: clock.now - caseStart)
            }
            results.append(result)
            console.caseFinished(result)
        }
        return SuiteResult(
            suiteName: suite.name, suiteFile: suite.file, targetDescription: targetDescription,
            baseURL: baseURL.absoluteString, startedAt: startedAt, duration: clock.now - start, cases: results,
            transcript: console.transcript(for: suite.name))
    }
}
