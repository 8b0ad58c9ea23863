import NIOConcurrencyHelpers

/// Sends one prepared case `samples` times, `concurrency` at a time, and checks every sample.
///
/// Samples go through the same stages as a single request (send, decode, check, capture) and are folded
/// by a ``SampleAggregator``. The first sample's secrets join the run's store; later samples mask their
/// own with a local store.
struct CaseSampler: Sendable {
    var transport: any Transport
    var evaluator: CaseEvaluator

    func sample(
        _ testCase: TestCase, _ prepared: PreparedCase, samples: Int, concurrency: Int
    ) async -> SampleAggregator {
        let aggregator = SampleAggregator(total: samples)
        let next = Counter(limit: samples)
        let work: @Sendable () async -> Void = {
            while let index = next.take() {
                let evaluator = index == 0 ? self.evaluator : self.evaluator.withLocalSecrets()
                let clock = ContinuousClock()
                let start = clock.now
                let exchange = await transport.send(prepared.request)
                let evaluation = evaluator.evaluate(testCase, prepared, exchange, duration: clock.now - start)
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
        return aggregator
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
