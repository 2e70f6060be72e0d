public import Foundation

/// What a threshold rule asks the store: one metric per group over `[end − window, end)`.
public struct MetricQuery: Hashable, Sendable {
    public var metric: AlertMetric
    public var filter: DimensionFilter
    public var groupBy: [AlertDimension]
    public var window: Duration
    public var end: Date

    public init(metric: AlertMetric, filter: DimensionFilter, groupBy: [AlertDimension], window: Duration, end: Date) {
        self.metric = metric
        self.filter = filter
        self.groupBy = groupBy
        self.window = window
        self.end = end
    }
}

/// Implemented by the store. A group without data in the window is left out (its series reads as inactive).
public protocol MetricSource: Sendable {
    func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double]
}
