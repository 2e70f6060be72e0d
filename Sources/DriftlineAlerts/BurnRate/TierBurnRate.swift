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
