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

/// Whether a tier's condition holds for a group.
public enum TierVerdict: Hashable, Sendable {
    /// Both windows burn faster than the tier's factor.
    case burning
    /// At least one window does not.
    case withinBudget
    /// The long window holds fewer events than the minimum-events guard; not judged, does not fire.
    case insufficientEvents
}

/// One tier judged for one group.
public struct TierBurnRate: Hashable, Sendable {
    public let tier: BurnRateTier
    public let factor: Double
    public let long: WindowBurnRate
    public let short: WindowBurnRate
    public let verdict: TierVerdict
}

/// All tiers of an SLO judged for one group.
public struct GroupBurnRate: Hashable, Sendable {
    public let group: AlertGroup
    public let tiers: [TierBurnRate]
}
