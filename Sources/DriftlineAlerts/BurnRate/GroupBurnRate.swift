/// All tiers of an SLO judged for one group.
public struct GroupBurnRate: Hashable, Sendable {
    public let group: AlertGroup
    public let tiers: [TierBurnRate]
}
