/// The evaluated state of one budget (`dl_budget_state`).
public struct BudgetState: Sendable, Equatable {
    public var name: String
    public var spentUSD: String
    public var forecastUSD: String
    /// ok, 50, 80 or 100.
    public var state: String
    public var forecastExceeds: Bool
}
