/// Runs a comparison case: samples two earlier cases alternately, so that drift hits both alike, and
/// compares one latency statistic.
struct ComparisonRunner: Sendable {
    var preparer: CasePreparer
    var sampler: CaseSampler

    func run(
        _ testCase: TestCase, _ comparison: LatencyComparison, values: RunValues
    ) async throws(CasePreparer.Skip) -> CaseResult {
        let suite = preparer.suite
        var sides: [(name: String, testCase: TestCase, prepared: PreparedCase)] = []
        for name in [comparison.faster, comparison.slower] {
            guard let compared = suite.testCase(named: name) else { throw .reason("no case '\(name)' to compare") }
            do {
                sides.append((name, compared, try preparer.prepare(compared, values: values)))
            } catch {
                guard case .reason(let reason) = error else { throw error }
                throw .reason("compares '\(name)', which cannot be sent: \(reason)")
            }
        }
        let aggregators = [
            SampleAggregator(total: comparison.samples, secrets: sampler.secrets),
            SampleAggregator(total: comparison.samples, secrets: sampler.secrets),
        ]
        // Pairs are sampled within the case's time budget; the first pair always goes.
        let clock = ContinuousClock()
        let deadline = clock.now + sampler.budget
        var taken = 0
        var stoppedByBudget = false
        for index in 0..<comparison.samples {
            if index > 0 {
                if Task.isCancelled { break }
                if clock.now >= deadline {
                    stoppedByBudget = true
                    break
                }
            }
            for (side, aggregator) in zip(sides, aggregators) {
                let single = await sampler.sample(
                    side.testCase, side.prepared, samples: 1, concurrency: 1, comparison: testCase.name)
                if let result = single.aggregator.result(duration: .zero, objectives: [], notes: []) {
                    aggregator.add(index: index, CaseEvaluator.Evaluation(result: result, captured: [:]))
                }
            }
            taken += 1
        }
        let summaries = aggregators.map(\.latency)
        var findings = LatencyComparisonCheck(comparison: comparison).evaluate(
            faster: summaries[0], slower: summaries[1])
        for (side, aggregator) in zip(sides, aggregators) where aggregator.failedOrErroredSamples > 0 {
            findings.append(
                .failure(
                    .samples,
                    "\(aggregator.failedOrErroredSamples) of \(taken) samples of '\(side.name)' failed or had errors"
                ))
        }
        if stoppedByBudget {
            findings.append(
                .warning(
                    .samplesStopped,
                    "stopped after \(taken) of \(comparison.samples) samples of each case: the case's time budget of \(Milliseconds.text(sampler.budget.milliseconds / 1000)) s ran out (--max-case-time)"
                ))
        }
        var result = CaseResult(
            name: testCase.name, outcome: findings.contains { $0.severity == .failure } ? .failed : .passed,
            findings: findings, diagnostic: "", duration: .zero)
        result.samples = taken * 2
        result.diagnostic = CaseDiagnostic(findings.filter { $0.severity == .failure }.map { .finding($0) })
        for (label, summary) in zip(["faster", "slower"], summaries) {
            guard let summary else { continue }
            for statistic in LatencyStatistic.allCases {
                result.properties.append(
                    ("\(label).\(statistic.key)", Milliseconds.property(summary.value(statistic))))
            }
            result.properties.append(("\(label).samples", String(summary.samples)))
        }
        return result
    }
}
