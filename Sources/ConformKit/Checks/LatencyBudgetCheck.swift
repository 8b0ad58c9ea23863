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
            .failure("latency", "budget \(Self.format(budgetMilliseconds)) ms, measured \(Self.format(measured)) ms")
        ]
    }

    /// Milliseconds with at most one decimal: `2000`, `2504.3`.
    static func format(_ milliseconds: Double) -> String {
        let rounded = (milliseconds * 10).rounded() / 10
        return JSONValue.format(rounded)
    }
}
