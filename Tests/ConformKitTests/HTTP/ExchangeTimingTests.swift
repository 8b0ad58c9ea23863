import Testing

@testable import ConformKit

@Suite struct ExchangeTimingTests {
    private func ms(_ value: Double) -> Duration { .nanoseconds(Int64(value * 1_000_000)) }

    @Test func phasesOfANewConnection() {
        let timing = ExchangeTiming(
            connection: .new(setup: ms(3)), connectionReady: ms(4), requestHeadSent: ms(4.5), requestSent: ms(4.75),
            firstByte: ms(14.5), bodyComplete: ms(15), total: ms(15.25))
        #expect(timing.endpointStart == ms(1.5))
        #expect(timing.latency == ms(13.75))
        #expect(
            timing.metrics.map(\.name) == [
                "connect_ms", "send_ms", "server_ms", "ttfb_ms", "download_ms", "latency_ms", "queue_ms", "total_ms",
            ])
        #expect(timing.metrics.map(\.milliseconds) == [3, 0.25, 9.75, 13, 0.5, 13.75, 1.5, 15.25])
    }

    @Test func aReusedConnectionSkipsSetUp() {
        let timing = ExchangeTiming(
            connection: .reused, connectionReady: ms(0.5), requestHeadSent: ms(1), requestSent: ms(1), firstByte: ms(3),
            bodyComplete: ms(3.5), total: ms(3.5))
        #expect(!timing.metrics.contains { $0.name == "connect_ms" })
        #expect(timing.latency == ms(2.5))
        #expect(timing.connectionDescription == "reused connection (set-up skipped)")
    }

    @Test func serverPhaseIsNeverNegative() {
        // The client may report the request written after it read the response head in the same tick.
        let timing = ExchangeTiming(
            connection: .reused, requestHeadSent: ms(1), requestSent: ms(2.1), firstByte: ms(2), bodyComplete: ms(2.2),
            total: ms(2.2))
        #expect(timing.metrics.first { $0.name == "server_ms" }?.milliseconds == 0)
    }

    @Test func aFailedExchangeHasOnlyItsTotal() {
        let timing = ExchangeTiming(total: ms(7))
        #expect(timing.metrics.map(\.name) == ["latency_ms", "queue_ms", "total_ms"])
        #expect(timing.latency == ms(7))
    }
}

@Suite struct LatencyRecorderTests {
    /// HdrHistogram with three significant digits: every statistic within 0.1% of the exact value.
    @Test func summarisesWithinThreeSignificantDigits() throws {
        var recorder = LatencyRecorder()
        for value in 1...1000 { recorder.record(.microseconds(value * 100)) }  // 0.1 ms … 100 ms
        let summary = try #require(recorder.summary)
        #expect(summary.samples == 1000)
        let exact: [LatencyStatistic: Double] = [
            .min: 0.1, .p50: 50, .p90: 90, .p95: 95, .p99: 99, .max: 100, .mean: 50.05,
        ]
        for (statistic, value) in exact {
            #expect(
                abs(summary.value(statistic) - value) <= value * 0.001,
                "\(statistic.rawValue): \(summary.value(statistic)) vs \(value)")
        }
    }

    @Test func emptyHasNoSummary() {
        #expect(LatencyRecorder().summary == nil)
    }
}

@Suite struct LatencyObjectiveAndComparisonTests {
    private let summary = LatencySummary(
        samples: 200, values: [.min: 1, .p50: 500, .p90: 700, .p95: 912.4, .p99: 1500, .max: 1900, .mean: 520])

    @Test func objectiveNamesPercentileObjectiveMeasuredAndSamples() {
        #expect(
            LatencyObjectiveCheck(statistic: .p95, objectiveMilliseconds: 800).evaluate(summary).map(\.message) == [
                "latency p95: objective 800 ms, measured 912.4 ms over 200 samples"
            ])
        #expect(LatencyObjectiveCheck(statistic: .max, objectiveMilliseconds: 2000).evaluate(summary).isEmpty)
    }

    @Test func comparisonSaysWhichWayItWent() {
        let comparison = LatencyComparison(
            faster: "refresh", slower: "sign in", statistic: .p50, samples: 20, severity: .failure)
        let fast = LatencySummary(samples: 20, values: [.p50: 1.2])
        let slow = LatencySummary(samples: 20, values: [.p50: 4.3])
        #expect(
            LatencyComparisonCheck(comparison: comparison).evaluate(faster: fast, slower: slow).map(\.description) == [
                "note [comparison]: p50 holds: 'refresh' 1.2 ms over 20 samples, 'sign in' 4.3 ms over 20 samples"
            ])
        #expect(
            LatencyComparisonCheck(comparison: comparison).evaluate(faster: slow, slower: fast).map(\.description) == [
                "failure [comparison]: expected p50 of 'refresh' below that of 'sign in': 'refresh' 4.3 ms over 20 samples, 'sign in' 1.2 ms over 20 samples"
            ])
    }
}
