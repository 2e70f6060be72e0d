public import Foundation

/// An SLO's error budget per group at one evaluation: the counts over the SLO's whole `period` ending at the
/// evaluation time. The burn-rate tiers say how fast the budget burns now; this says how much of it is left,
/// which the store keeps in `dl_slo_budgets` for the SLOs dashboard.
public struct SLOErrorBudget: Hashable, Sendable {
    /// The SLO's name.
    public let slo: String
    /// The objective as a fraction (0.995 for 99.5 %).
    public let objective: Double
    public let period: Duration
    /// The end of the period counted: the evaluation time.
    public let end: Date
    /// Every group with events in the period, sorted; an ungrouped SLO has exactly ``AlertGroup/all``, with
    /// or without events.
    public let groups: [GroupErrorBudget]

    /// Reads the SLO's `period` window of `counts` (``BurnRateEvaluator/gatherCounts(for:from:at:)`` asks for it
    /// beside the tier windows).
    public init(_ slo: SLOSpec, counts: WindowedEventCounts, end: Date) {
        self.slo = slo.name
        self.objective = slo.objective
        self.period = slo.period
        self.end = end
        var groups = counts.groups(in: [slo.period])
        if slo.groupBy.isEmpty { groups.insert(.all) }
        self.groups = groups.sorted().map { group in
            GroupErrorBudget(group: group, counts: counts[slo.period, group], errorBudget: slo.errorBudget)
        }
    }
}
