/// The endpoint's latency (``ExchangeTiming/latency``) stayed within the budget.
public struct LatencyBudgetCheck: Check {
    public var budgetMilliseconds: Double

    public init(budgetMilliseconds: Double) {
        self.budgetMilliseconds = budgetMilliseconds
    }

    public func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let measured = response.timing.latency.milliseconds
        guard measured > budgetMilliseconds else { return [] }
        return [
            .failure(
                .latencyBudget,
                "budget \(Milliseconds.text(budgetMilliseconds)) ms, measured \(Milliseconds.text(measured)) ms")
        ]
    }
}
