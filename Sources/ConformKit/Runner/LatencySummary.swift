/// Latency statistics over the samples of a case: the one definition every output shows.
///
/// **Percentiles are nearest-rank over the exact sample values.** With the `n` latencies sorted, pN is the
/// ⌈N/100 · n⌉-th smallest (1-based): with 20 samples, p50 is the 10th, p95 the 19th and p99 the 20th.
/// It is always a latency that one sample really took, so a figure in a report can be found among the
/// samples; it needs no interpolation and no binning, so the console, the JUnit properties, the JSON
/// results, the HTML chart and the latency objectives agree to the digit; and "p95 is 120 ms" reads as
/// "95% of the samples took 120 ms or less", which is exactly true. `min` and `max` are the extremes,
/// `mean` the sum over `n`. The rank is computed in integers (``rank(percent:count:)``), so that no
/// rounding of `0.95 · 20` can move it.
///
/// The cost is memory: every latency of a case is kept until the case ends, 8 bytes a sample, so
/// ``ConformLimits/samples`` (1,000,000) samples take 8 MB.
struct LatencySummary: Sendable, Equatable {
    var samples: Int
    /// Milliseconds per statistic.
    var values: [LatencyStatistic: Double]

    init(samples: Int, values: [LatencyStatistic: Double]) {
        self.samples = samples
        self.values = values
    }

    /// The statistics of latencies in milliseconds, in any order; `nil` when there is none. Values that
    /// are not finite are left out.
    init?(milliseconds: [Double]) {
        var sorted = milliseconds.filter(\.isFinite)
        sorted.sort()
        self.init(sorted: sorted)
    }

    /// The statistics of latencies already sorted in ascending order, all finite.
    init?(sorted: [Double]) {
        guard let first = sorted.first, let last = sorted.last else { return nil }
        var values: [LatencyStatistic: Double] = [
            .min: first, .max: last, .mean: sorted.reduce(0, +) / Double(sorted.count),
        ]
        for statistic in LatencyStatistic.allCases {
            guard let percent = statistic.percent else { continue }
            values[statistic] = sorted[Self.rank(percent: percent, count: sorted.count) - 1]
        }
        self.init(samples: sorted.count, values: values)
    }

    /// The 1-based rank of the `percent`-th percentile among `count` sorted samples: ⌈percent · count / 100⌉,
    /// at least 1.
    static func rank(percent: Int, count: Int) -> Int {
        max(1, (percent * count + 99) / 100)
    }

    func value(_ statistic: LatencyStatistic) -> Double { values[statistic] ?? 0 }

    /// "min 2.9, p50 3.1, p90 3.6, p95 4, p99 6.1, max 6.2, mean 3.3 ms".
    var description: String {
        let parts = LatencyStatistic.allCases.map { "\($0.rawValue) \(Milliseconds.text(value($0)))" }
        return parts.joined(separator: ", ") + " ms"
    }
}

extension LatencyStatistic {
    /// 50 for p50; `nil` for min, max and mean.
    var percent: Int? {
        switch self {
        case .p50: 50
        case .p90: 90
        case .p95: 95
        case .p99: 99
        case .min, .max, .mean: nil
        }
    }
}

/// Keeps every latency of a case, for ``LatencySummary``; not thread-safe on its own (the aggregator locks
/// around it).
struct LatencyRecorder: Sendable {
    private var milliseconds: [Double] = []

    var count: Int { milliseconds.count }

    mutating func record(_ duration: Duration) {
        let value = duration.milliseconds
        milliseconds.append(value.isFinite ? max(0, value) : 0)
    }

    /// Sorts the samples in place (no copy of up to 8 MB) and summarises them.
    mutating func summarize() -> LatencySummary? {
        milliseconds.sort()
        return LatencySummary(sorted: milliseconds)
    }

    var summary: LatencySummary? {
        var copy = self
        return copy.summarize()
    }
}
