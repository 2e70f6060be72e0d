/// Good and total events of an SLI over one lookback window for one group.
public struct EventCounts: Hashable, Sendable {
    public var good: Int64
    public var total: Int64

    public init(good: Int64, total: Int64) {
        self.good = good
        self.total = total
    }

    public static let zero = EventCounts(good: 0, total: 0)

    /// `(total − good) / total`, nil without events. Good counts above the total (a store inconsistency, e.g.
    /// counters of different flushes) are read as no errors rather than a negative ratio.
    public var errorRatio: Double? {
        guard total > 0 else { return nil }
        return Double(max(0, total - good)) / Double(total)
    }

    public static func + (lhs: EventCounts, rhs: EventCounts) -> EventCounts {
        EventCounts(good: lhs.good + rhs.good, total: lhs.total + rhs.total)
    }
}
