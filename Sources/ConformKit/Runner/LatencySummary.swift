import Histogram

/// Latency samples summarised with HdrHistogram: microsecond resolution, three significant digits.
public struct LatencySummary: Sendable, Equatable {
    public var samples: Int
    /// Milliseconds per statistic.
    public var values: [LatencyStatistic: Double]

    public func value(_ statistic: LatencyStatistic) -> Double { values[statistic] ?? 0 }

    /// "min 2.9, p50 3.1, p90 3.6, p95 4, p99 6.1, max 6.2, mean 3.3 ms".
    public var description: String {
        let parts = LatencyStatistic.allCases.map { "\($0.rawValue) \(Milliseconds.text(value($0)))" }
        return parts.joined(separator: ", ") + " ms"
    }
}

/// Records latencies; not thread-safe on its own (the aggregator locks around it).
struct LatencyRecorder: Sendable {
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)

    var count: Int { Int(histogram.totalCount) }

    mutating func record(_ duration: Duration) {
        let microseconds = UInt64(max(0, (duration.milliseconds * 1000).rounded()))
        _ = histogram.record(min(microseconds, histogram.highestTrackableValue))
    }

    var summary: LatencySummary? {
        guard histogram.totalCount > 0 else { return nil }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        return LatencySummary(
            samples: count,
            values: [
                .min: ms(histogram.min), .p50: ms(histogram.valueAtPercentile(50)),
                .p90: ms(histogram.valueAtPercentile(90)),
                .p95: ms(histogram.valueAtPercentile(95)), .p99: ms(histogram.valueAtPercentile(99)),
                .max: ms(histogram.max), .mean: histogram.mean / 1000,
            ])
    }
}
