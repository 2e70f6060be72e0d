public import DriftlineCore

/// A budget as the store keeps it (`dl_budgets`).
public struct StoredBudget: Sendable, Equatable {
    public var name: String
    public var scope: String
    public var value: String
    public var period: String
    public var amountUSD: Money

    public init(name: String, scope: String, value: String, period: String, amountUSD: Money) {
        self.name = name
        self.scope = scope
        self.value = value
        self.period = period
        self.amountUSD = amountUSD
    }
}
