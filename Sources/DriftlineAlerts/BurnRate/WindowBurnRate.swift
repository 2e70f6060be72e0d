/// The burn rate of one lookback window: error ratio over the error budget, `((total − good) / total) / (1 − objective)`
/// (SRE workbook, "Alerting on SLOs"). 1 spends the budget exactly over the period.
public struct WindowBurnRate: Hashable, Sendable {
    public let window: Duration
    public let counts: EventCounts
    /// Nil when the window holds no events.
    public let burnRate: Double?

    public init(window: Duration, counts: EventCounts, errorBudget: Double) {
        self.window = window
        self.counts = counts
        self.burnRate = counts.errorRatio.map { $0 / errorBudget }
    }
}
