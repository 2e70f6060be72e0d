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

    /// The counts of several windows of one SLI ending at the same time, by window. The default
    /// asks ``eventCounts(_:)`` once per window; a store can answer all of them in one pass.
    func eventCounts(_ query: EventCountQuery, windows: [Duration]) async throws
        -> [Duration: [AlertGroup: EventCounts]]
}

extension EventCountSource {
    public func eventCounts(_ query: EventCountQuery, windows: [Duration]) async throws
        -> [Duration: [AlertGroup: EventCounts]]
    {
        var result: [Duration: [AlertGroup: EventCounts]] = [:]
        for window in windows {
            var windowQuery = query
            windowQuery.window = window
            result[window] = try await eventCounts(windowQuery)
        }
        return result
    }
}
