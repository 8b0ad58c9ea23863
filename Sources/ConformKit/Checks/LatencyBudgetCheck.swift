/// The endpoint's latency (``ExchangeTiming/latency``) stayed within the budget.
struct LatencyBudgetCheck: Check {
    var budgetMilliseconds: Double

    init(budgetMilliseconds: Double) {
        self.budgetMilliseconds = budgetMilliseconds
    }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let measured = response.timing.latency.milliseconds
        guard measured > budgetMilliseconds else { return [] }
        return [
            .failure(
                .latencyBudget,
                "budget \(Milliseconds.text(budgetMilliseconds)) ms, measured \(Milliseconds.text(measured)) ms")
        ]
    }
}
