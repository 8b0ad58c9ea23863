/// One case's latency statistic is below another's: "refresh is faster than sign-in".
struct LatencyComparisonCheck: Sendable {
    var comparison: LatencyComparison

    init(comparison: LatencyComparison) {
        self.comparison = comparison
    }

    func evaluate(faster: LatencySummary?, slower: LatencySummary?) -> [Finding] {
        let statistic = comparison.statistic
        guard let faster, let slower else {
            return [
                Finding(
                    comparison.severity, check: .latencyComparison,
                    "\(statistic.rawValue): a compared case got no response to measure")
            ]
        }
        let fast = faster.value(statistic)
        let slow = slower.value(statistic)
        let figures =
            "'\(comparison.faster)' \(Milliseconds.text(fast)) ms over \(faster.samples) samples, "
            + "'\(comparison.slower)' \(Milliseconds.text(slow)) ms over \(slower.samples) samples"
        if fast < slow {
            return [.note(.latencyComparison, "\(statistic.rawValue) holds: \(figures)")]
        }
        return [
            Finding(
                comparison.severity, check: .latencyComparison,
                "expected \(statistic.rawValue) of '\(comparison.faster)' below that of '\(comparison.slower)': \(figures)"
            )
        ]
    }
}
