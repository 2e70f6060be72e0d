/// How an SLO alerts: its burn-rate tiers, the minimum-events guard and the state machine's timings.
public struct BurnRatePolicy: Hashable, Sendable {
    public var tiers: [BurnRateTier]
    /// A tier is only judged when its long window holds at least this many total events, so that one failure
    /// among ten requests does not page. Below it the tier reports ``TierVerdict/insufficientEvents`` and does
    /// not fire. The short window only needs one event (an empty short window has no error ratio).
    public var minimumEvents: Int
    /// How long a tier's condition must hold before it fires (`for:`); 0 by default, as the long window
    /// already smooths.
    public var pendingFor: Duration
    /// How long a firing tier stays firing after its condition stops holding (`keep_firing_for:`).
    public var keepFiringFor: Duration

    public init(
        tiers: [BurnRateTier] = BurnRateTier.standard, minimumEvents: Int = 100, pendingFor: Duration = .zero,
        keepFiringFor: Duration = .zero
    ) {
        self.tiers = tiers
        self.minimumEvents = minimumEvents
        self.pendingFor = pendingFor
        self.keepFiringFor = keepFiringFor
    }

    /// Every lookback window the evaluator needs counts for, shortest first.
    public var requiredWindows: [Duration] {
        Array(Set(tiers.flatMap { [$0.longWindow, $0.shortWindow] })).sorted()
    }
}
