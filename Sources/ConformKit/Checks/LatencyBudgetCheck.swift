/// The endpoint's latency (``ExchangeTiming/latency``) stayed within the budget.
package struct LatencyBudgetCheck: Check {
    package var budgetMilliseconds: Double

    package init(budgetMilliseconds: Double) {
        self.budgetMilliseconds = budgetMilliseconds
    }

    package func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        let measured = response.timing.latency.milliseconds
        guard measured > budgetMilliseconds else { return [] }
        return [
            .failure(
                "latency",
                "budget \(Milliseconds.text(budgetMilliseconds)) ms, measured \(Milliseconds.text(measured)) ms")
        ]
    }
}
