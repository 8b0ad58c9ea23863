/// A statistic of a case's latency samples meets its objective: `{"p95_ms": 800}`.
///
/// Unlike the other checks it looks at all samples of a case, once they are in.
struct LatencyObjectiveCheck: Sendable {
    var statistic: LatencyStatistic
    var objectiveMilliseconds: Double

    init(statistic: LatencyStatistic, objectiveMilliseconds: Double) {
        self.statistic = statistic
        self.objectiveMilliseconds = objectiveMilliseconds
    }

    func evaluate(_ summary: LatencySummary?) -> [Finding] {
        guard let summary else {
            return [
                .failure(
                    .latencyObjective,
                    "latency \(statistic.rawValue): objective \(Milliseconds.text(objectiveMilliseconds)) ms, but no sample got a response"
                )
            ]
        }
        let measured = summary.value(statistic)
        guard measured > objectiveMilliseconds else { return [] }
        return [
            .failure(
                .latencyObjective,
                "latency \(statistic.rawValue): objective \(Milliseconds.text(objectiveMilliseconds)) ms, measured \(Milliseconds.text(measured)) ms over \(summary.samples) sample\(summary.samples == 1 ? "" : "s")"
            )
        ]
    }
}
