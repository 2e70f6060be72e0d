public import Foundation

/// Multiwindow, multi-burn-rate evaluation of an SLO (SRE workbook, "Alerting on SLOs", recommendation 6): a tier
/// burns when the burn rate of both its long and its short window is above `factor` (strictly, as the workbook's
/// `> 14.4 * (1 - objective)`), and its long window holds at least `minimumEvents` events.
///
/// ``evaluate(_:counts:)`` is pure; ``gatherCounts(for:from:at:)`` asks a store for every tier window and the
/// SLO's whole period (for ``SLOErrorBudget``) in one call.
public enum BurnRateEvaluator {
    public static func evaluate(_ slo: SLOSpec, counts: WindowedEventCounts) -> [GroupBurnRate] {
        // Groups seen only over the whole period (quiet for days) get no alert series: they cannot burn.
        var groups = counts.groups(in: slo.policy.requiredWindows)
        if slo.groupBy.isEmpty { groups.insert(.all) }
        return groups.sorted().map { group in
            GroupBurnRate(
                group: group,
                tiers: slo.policy.tiers.map { tier in
                    evaluate(
                        tier: tier, slo: slo, long: counts[tier.longWindow, group],
                        short: counts[tier.shortWindow, group])
                })
        }
    }

    static func evaluate(tier: BurnRateTier, slo: SLOSpec, long: EventCounts, short: EventCounts) -> TierBurnRate {
        let factor = tier.factor(period: slo.period)
        let longBurn = WindowBurnRate(window: tier.longWindow, counts: long, errorBudget: slo.errorBudget)
        let shortBurn = WindowBurnRate(window: tier.shortWindow, counts: short, errorBudget: slo.errorBudget)
        let verdict: TierVerdict
        if long.total < Int64(slo.policy.minimumEvents) {
            verdict = .insufficientEvents
        } else if let longRate = longBurn.burnRate, let shortRate = shortBurn.burnRate, longRate > factor,
            shortRate > factor
        {
            verdict = .burning
        } else {
            verdict = .withinBudget
        }
        return TierBurnRate(tier: tier, factor: factor, long: longBurn, short: shortBurn, verdict: verdict)
    }

    /// Asks `source` for every window the SLO's tiers need and for its whole period, all ending at `end`, in
    /// one call.
    public static func gatherCounts(
        for slo: SLOSpec, from source: any EventCountSource, at end: Date
    ) async throws -> WindowedEventCounts {
        let windows = Array(Set(slo.policy.requiredWindows + [slo.period])).sorted()
        guard let longest = windows.max() else { return WindowedEventCounts() }
        let query = EventCountQuery(sli: slo.sli, filter: slo.filter, groupBy: slo.groupBy, window: longest, end: end)
        return WindowedEventCounts(try await source.eventCounts(query, windows: windows))
    }
}
