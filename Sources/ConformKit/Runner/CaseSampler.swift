import ConformHTTP
import ConformSupport
import Foundation
import NIOConcurrencyHelpers

/// Sends one prepared case `samples` times, `concurrency` at a time, and checks every sample.
///
/// Samples go through the same stages as a single request (send, decode, check, capture) and are folded
/// by a ``SampleAggregator``, which registers the secrets of the samples it keeps for the report; with
/// `--har`, every sample the archive keeps has its secrets registered too, since the archive shows it. Sampling
/// stops early when the case's time budget runs out (the samples in flight finish) or when the run is
/// interrupted (they are cancelled); the first sample is always sent, unless the run is interrupted while
/// it waits for its slot under `--rate` (``RequestPacer``). Checking one response may take the case's time
/// budget at most, and stops when the run is interrupted.
struct CaseSampler: Sendable {
    var transport: any Transport
    var evaluator: CaseEvaluator
    var secrets: SecretStore
    /// How long one case may go on starting samples.
    var budget: Duration
    /// The live outputs, told of every sample (the progress line counts it, `--har` records it).
    var observers: RunObservers
    /// The suite's name, as the observers are told it.
    var suite: String
    /// `--rate`: every request waits for its slot; a slot past the budget ends sampling like the budget.
    var pacer: RequestPacer?
    /// The run, whose interruption stops the checks of the sample in hand.
    var control: RunControl?

    struct Sampling {
        var aggregator: SampleAggregator
        /// The time budget ran out before every sample was sent.
        var stoppedByBudget: Bool
        /// A response showed the case's `skip_if`: the case is skipped with this reason and its status.
        var skipped: (reason: String, status: Int)? = nil
    }

    /// Sends and checks the samples; `comparison` names the comparison case they are sampled for (the HAR
    /// says so).
    func sample(
        _ testCase: TestCase, _ prepared: PreparedCase, samples: Int, concurrency: Int, comparison: String? = nil
    ) async -> Sampling {
        let aggregator = SampleAggregator(total: samples, secrets: secrets)
        let next = Counter(limit: samples)
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        let checkingTooLong =
            "checking this response took longer than the case's time budget of "
            + "\(Milliseconds.text(budget.milliseconds / 1000)) s (--max-case-time)"
        let outOfTime = NIOLockedValueBox(false)
        let skipped = NIOLockedValueBox<(reason: String, status: Int)?>(nil)
        let work: @Sendable () async -> Void = {
            while skipped.withLockedValue({ $0 == nil }), let index = next.take() {
                if index > 0 {
                    if Task.isCancelled { break }
                    if clock.now >= deadline {
                        outOfTime.withLockedValue { $0 = true }
                        break
                    }
                }
                if let pacer, !(await pacer.admit(notAfter: index > 0 ? deadline : nil)) {
                    if !Task.isCancelled { outOfTime.withLockedValue { $0 = true } }
                    break
                }
                let start = clock.now
                let started = Date()
                let exchange = await transport.send(prepared.requestToSend())
                if let reason = Self.skipReason(prepared, exchange) {
                    skipped.withLockedValue { $0 = $0 ?? (reason, exchange.response?.status ?? 0) }
                    var result = CaseResult(
                        name: testCase.name, outcome: .skipped, findings: [], skipReason: reason, diagnostic: "",
                        duration: clock.now - start)
                    result.status = exchange.response?.status
                    _ = observers.sampleDone(
                        SampleDone(
                            exchange: exchange, started: started, suite: suite, testCase: testCase.name,
                            comparison: comparison, result: result))
                    break
                }
                // Checking one response may take the case's budget at most, counted from its arrival (a
                // sample in flight at the case's deadline is still checked whole), and ends with the run.
                let checked = clock.now
                let evaluation = evaluator.evaluate(
                    testCase, prepared, exchange, duration: checked - start,
                    deadline: WorkDeadline(at: checked + budget, because: checkingTooLong, control: control))
                let sample = SampleDone(
                    exchange: exchange, started: started, suite: suite, testCase: testCase.name,
                    comparison: comparison, result: evaluation.result)
                if observers.sampleDone(sample) {
                    // An archive shows this sample whole, whether or not the report keeps it.
                    for secret in evaluator.everySecret(of: evaluation, in: exchange) {
                        secrets.add(secret, origin: "a secret field of the response")
                    }
                }
                aggregator.add(index: index, evaluation)
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(max(1, concurrency), samples) {
                // On the transport's own executor when it has one: a request and its response then need no
                // hop between threads (a third less CPU per sample on loopback).
                if #available(macOS 15.0, *), let executor = transport.taskExecutor {
                    group.addTask(executorPreference: executor, operation: work)
                } else {
                    group.addTask(operation: work)
                }
            }
        }
        return Sampling(
            aggregator: aggregator, stoppedByBudget: outOfTime.withLockedValue { $0 },
            skipped: skipped.withLockedValue { $0 })
    }

    /// The case's `skip_if` reason when every one of its checks holds on the response.
    static func skipReason(_ prepared: PreparedCase, _ exchange: Exchange) -> String? {
        guard let reason = prepared.skipReason, !prepared.skipChecks.isEmpty, let response = exchange.response,
            exchange.failure == nil
        else { return nil }
        let subject = ResponseUnderTest(
            response: response, timing: exchange.timing,
            document: ResponseDocument.decode(response, as: prepared.documentKind))
        let holds = prepared.skipChecks.allSatisfy { check in
            !check.evaluate(subject).contains { $0.severity == .failure }
        }
        return holds ? reason : nil
    }
}

extension CaseSampler {
    /// A sample's outcome in words, for its HAR entry: `passed`, `failed: status: expected 200, got 400`,
    /// `error (connection-refused): connection refused by 127.0.0.1:9`.
    static func outcome(of result: CaseResult) -> String {
        switch result.outcome {
        case .passed:
            let warnings = result.warnings.count
            return warnings == 0 ? "passed" : "passed with \(Plural.count(warnings, "warning"))"
        case .failed:
            let failures = result.failures
            let more = failures.count > 1 ? " (and \(failures.count - 1) more)" : ""
            return "failed: " + (failures.first.map { "\($0.check.label): \($0.message)" } ?? "") + more
        case .errored:
            return result.transportFailure.map { "error (\($0.kind)): \($0)" } ?? "error"
        case .skipped:
            return result.skipReason.map { "skipped: \($0)" } ?? "skipped"
        }
    }
}

/// Hands out sample indexes 0..<limit to the workers.
final class Counter: Sendable {
    private let state: NIOLockedValueBox<Int>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        self.state = NIOLockedValueBox(0)
    }

    func take() -> Int? {
        state.withLockedValue { next in
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
