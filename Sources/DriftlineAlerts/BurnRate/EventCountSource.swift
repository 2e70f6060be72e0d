public import Foundation

/// What the burn-rate evaluator asks the store: good and total events of an SLI per group over one lookback
/// window ending at `end`. The store answers from its one-minute aggregates (the windows whose start lies in
/// `[end − window, end)`), summing the SLI's two counters after applying the filter and grouping by `groupBy`.
public struct EventCountQuery: Hashable, Sendable {
    public var sli: SLIDefinition
    public var filter: DimensionFilter
    public var groupBy: [AlertDimension]
    public var window: Duration
    public var end: Date

    public init(sli: SLIDefinition, filter: DimensionFilter, groupBy: [AlertDimension], window: Duration, end: Date) {
        self.sli = sli
        self.filter = filter
        self.groupBy = groupBy
        self.window = window
        self.end = end
    }

    public var start: Date { end.addingTimeInterval(-window.timeInterval) }
}

/// Implemented by the store (Postgres) and by test fakes. Groups without events may be left out.
public protocol EventCountSource: Sendable {
    func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts]
}
