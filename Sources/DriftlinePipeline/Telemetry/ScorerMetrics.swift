public import Metrics

/// What the faithfulness scorer reports: its queue depth and the samples it shed. The scorer
/// makes one of these (the global `MetricsSystem.factory` in `driftline run`, bootstrapped with
/// the Prometheus backend) and calls ``queueDepth(_:)`` whenever its queue changes and
/// ``shed(_:)`` for every sample dropped because the queue was full.
public struct ScorerMetrics: Sendable {
    private let depth: Gauge
    private let shedSamples: Counter

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        depth = Gauge(label: MetricNames.scorerQueueDepth, factory: factory)
        shedSamples = Counter(label: MetricNames.scorerShedSamples, factory: factory)
    }

    public func queueDepth(_ samples: Int) { depth.record(samples) }

    public func shed(_ samples: Int = 1) { shedSamples.increment(by: samples) }
}
