/// What is left of an SLO's error budget for one group over the SLO's whole period:
/// `1 − ((total − good) / total) / (1 − objective)`, the share of the allowed bad events not yet spent
/// (SRE workbook, "Implementing SLOs", error budgets). 1 is the whole budget left, 0 spent exactly, below 0
/// overspent (−1: twice the allowed bad events).
public struct GroupErrorBudget: Hashable, Sendable {
    public let group: AlertGroup
    /// Good and total events over the period.
    public let counts: EventCounts
    /// Nil without events (nothing was spent, but nothing was served either), and without a budget to
    /// spend (an objective of 100 %, which no SLO file can declare).
    public let remaining: Double?

    public init(group: AlertGroup, counts: EventCounts, errorBudget: Double) {
        self.group = group
        self.counts = counts
        if errorBudget > 0, let errorRatio = counts.errorRatio {
            self.remaining = 1 - errorRatio / errorBudget
        } else {
            self.remaining = nil
        }
    }

    /// `(total − good) / total` over the period, nil without events.
    public var errorRatio: Double? { counts.errorRatio }
}
