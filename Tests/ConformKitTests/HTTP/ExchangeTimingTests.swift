import Testing

@testable import ConformHTTP
@testable import ConformKit

@Suite struct ExchangeTimingTests {
    private func ms(_ value: Double) -> Duration { .nanoseconds(Int64(value * 1_000_000)) }

    @Test func phasesOfANewConnection() {
        let timing = ExchangeTiming(
            connection: .new, queue: ms(1.5), dns: ms(0.5), connect: ms(1), tls: ms(1.5), send: ms(0.25),
            wait: ms(9.75), download: ms(0.5), total: ms(15))
        #expect(timing.endpointStart == ms(1.5))
        #expect(timing.latency == ms(13.5))
        #expect(timing.setup == ms(3))
        #expect(
            timing.metrics.map(\.name) == [
                "dns_ms", "connect_ms", "tls_ms", "send_ms", "wait_ms", "server_ms", "ttfb_ms", "download_ms",
                "latency_ms", "queue_ms", "total_ms",
            ])
        #expect(timing.metrics.map(\.milliseconds) == [0.5, 1, 1.5, 0.25, 9.75, 9.75, 13, 0.5, 13.5, 1.5, 15])
    }

    @Test func aReusedConnectionSkipsSetUp() {
        let timing = ExchangeTiming(
            connection: .reused, queue: ms(0.5), send: ms(0.5), wait: ms(2), download: ms(0.5), total: ms(3.5))
        #expect(!timing.metrics.contains { ["dns_ms", "connect_ms", "tls_ms"].contains($0.name) })
        #expect(timing.setup == nil)
        #expect(timing.latency == ms(3))
        #expect(timing.connectionDescription == "reused connection (set-up skipped)")
    }

    @Test func aFailedExchangeHasOnlyItsTotal() {
        let timing = ExchangeTiming(total: ms(7))
        #expect(timing.metrics.map(\.name) == ["latency_ms", "queue_ms", "total_ms"])
        #expect(timing.latency == ms(7))
    }

    /// The clock turns the instants at which phases began into contiguous phases that add up to the total.
    @Test func phaseClockMakesContiguousPhases() {
        let start = ContinuousClock.now
        var clock = PhaseClock(start: start)
        clock.connection = .new
        clock.begin(.dns, at: start + ms(1))
        clock.begin(.connect, at: start + ms(1.5))
        clock.begin(.send, at: start + ms(3))
        clock.begin(.wait, at: start + ms(3.25))
        // A first byte reported before the write completed (one event-loop tick) does not go negative.
        clock.begin(.download, at: start + ms(3))
        let timing = clock.timing(end: start + ms(4))
        #expect(timing.queue == ms(1))
        #expect(timing.dns == ms(0.5))
        #expect(timing.connect == ms(1.5))
        #expect(timing.tls == nil)
        #expect(timing.send == ms(0.25))
        #expect(timing.wait == .zero)
        #expect(timing.download == ms(0.75))
        #expect(timing.total == ms(4))
        let sum = [timing.queue, timing.dns, timing.connect, timing.send, timing.wait, timing.download]
            .compactMap { $0 }.reduce(Duration.zero, +)
        #expect(sum == timing.total)
    }

    /// A failure during a phase: that phase runs until the failure, the later ones are absent.
    @Test func phaseInProgressRunsUntilTheFailure() {
        let start = ContinuousClock.now
        var clock = PhaseClock(start: start)
        clock.connection = .reused
        clock.begin(.send, at: start + ms(2))
        clock.begin(.wait, at: start + ms(2.5))
        let timing = clock.timing(end: start + ms(10))
        #expect(timing.wait == ms(7.5))
        #expect(timing.download == nil)
        #expect(timing.queue + timing.send! + timing.wait! == timing.total)
        clock.restart()
        #expect(clock.timing(end: start + ms(12)).queue == ms(12))
    }
}

@Suite struct LatencyRecorderTests {
    /// Exact, nearest rank: 0.1 … 100 ms in steps of 0.1 ms; p95 is the 950th smallest.
    @Test func summarisesTheExactSamples() throws {
        var recorder = LatencyRecorder()
        for value in (1...1000).reversed() { recorder.record(.microseconds(value * 100)) }
        let summary = try #require(recorder.summary)
        #expect(summary.samples == 1000)
        let exact: [LatencyStatistic: Double] = [
            .min: 0.1, .p50: 50, .p90: 90, .p95: 95, .p99: 99, .max: 100, .mean: 50.05,
        ]
        for (statistic, value) in exact {
            #expect(
                abs(summary.value(statistic) - value) < 1e-9,
                "\(statistic.rawValue): \(summary.value(statistic)) vs \(value)")
        }
        // 50.001 ms is not rounded to a bucket: the value is the sample's own.
        var precise = LatencyRecorder()
        precise.record(.microseconds(50_001))
        #expect(precise.summary?.value(.p99) == Duration.microseconds(50_001).milliseconds)
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
