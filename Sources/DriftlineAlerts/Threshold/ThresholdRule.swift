public import Foundation

/// A metric over a window compared with a threshold (`kind: threshold`), e.g. p99 TTFT above 2 s for 5 minutes:
///
/// ```yaml
/// kind: threshold
/// name: chat-ttft-p99
/// metric: p99(ttft_ms)           # see AlertMetric
/// window: 5m                     # lookback of each evaluation
/// op: ">"                        # > >= < <=
/// threshold: 2000
/// for: 5m                        # optional; condition must hold this long before firing
/// keep_firing_for: 2m            # optional; and stop holding this long before resolving
/// severity: page                 # optional, default ticket
/// filters: {app: chat}           # optional
/// group_by: [model]              # optional
/// labels: {team: chat}           # optional
/// annotations: {summary: …}      # optional
/// ```
public struct ThresholdRule: Hashable, Sendable {
    public var name: String
    public var metric: AlertMetric
    public var window: Duration
    public var comparison: ThresholdComparison
    public var threshold: Double
    public var pendingFor: Duration
    public var keepFiringFor: Duration
    public var severity: AlertSeverity
    public var filter: DimensionFilter
    public var groupBy: [AlertDimension]
    public var labels: [String: String]
    public var annotations: [String: String]
    public var sourceFile: String

    public init(
        name: String, metric: AlertMetric, window: Duration, comparison: ThresholdComparison, threshold: Double,
        pendingFor: Duration = .zero, keepFiringFor: Duration = .zero, severity: AlertSeverity = .ticket,
        filter: DimensionFilter = DimensionFilter(), groupBy: [AlertDimension] = [], labels: [String: String] = [:],
        annotations: [String: String] = [:], sourceFile: String = ""
    ) {
        self.name = name
        self.metric = metric
        self.window = window
        self.comparison = comparison
        self.threshold = threshold
        self.pendingFor = pendingFor
        self.keepFiringFor = keepFiringFor
        self.severity = severity
        self.filter = filter
        self.groupBy = groupBy
        self.labels = labels
        self.annotations = annotations
        self.sourceFile = sourceFile
    }

    /// One series per group that has a value (and the ungrouped series always). No data is not a breach: a
    /// series whose group went quiet is absent here, and ``AlertTracker`` reads an absent series as inactive.
    public func conditions(for values: [AlertGroup: Double]) -> [AlertCondition] {
        var groups = Set(values.keys)
        if groupBy.isEmpty { groups.insert(.all) }
        return groups.sorted().map { group in
            let value = values[group]
            var labels = self.labels.merging(group.labels) { _, group in group }
            labels["alertname"] = name
            labels["severity"] = severity.name
            var notes = annotations
            notes["summary"] =
                notes["summary"]
                ?? "\(metric) \(comparison.rawValue) \(SLOSpec.format(threshold)) over \(AlertDuration.format(window))"
            notes["value"] = value.map(SLOSpec.format) ?? "no data"
            return AlertCondition(
                rule: name, labels: labels, annotations: notes,
                isActive: value.map { comparison.holds($0, threshold) } ?? false, value: value,
                pendingFor: pendingFor, keepFiringFor: keepFiringFor, sourceFile: sourceFile)
        }
    }
}

extension ThresholdRule: AlertRule {
    public func evaluate(source: any AlertDataSource, at time: Date) async throws -> [AlertCondition] {
        let query = MetricQuery(metric: metric, filter: filter, groupBy: groupBy, window: window, end: time)
        return conditions(for: try await source.metricValues(query))
    }
}
