import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// Counts, per window and key, the events whose latency is at or below each threshold the loaded
/// SLOs declare (`ttft_at_or_below_ms(1500)`): exact good events for latency SLIs, never read
/// off histogram bucket edges. Each row also counts the events with that latency measured, so an
/// SLI's good and total come from the same rows (windows from before the SLO existed have
/// neither, rather than totals without good events).
public struct ThresholdCounter: EventAnalyser {
    /// A latency an SLO can threshold, as `dl_threshold_counts.metric` names it.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case ttft, tpot, e2e

        func value(of event: LLMEvent) -> Double? {
            switch self {
            case .ttft: event.ttftMilliseconds
            case .tpot: event.tpotMilliseconds
            case .e2e: event.latencyMilliseconds
            }
        }
    }

    public struct Threshold: Hashable, Sendable {
        public var metric: Metric
        public var milliseconds: Double

        public init(metric: Metric, milliseconds: Double) {
            self.metric = metric
            self.milliseconds = milliseconds
        }
    }

    public let dimensions: WindowGrouping
    public let thresholds: [Threshold]
    public private(set) var counts: [ThresholdCountKey: ThresholdCount] = [:]

    public init(dimensions: WindowGrouping, thresholds: [Threshold]) {
        self.dimensions = dimensions
        self.thresholds = thresholds
    }

    public var pendingRows: Int { counts.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        let window = dimensions.key(for: event.event)
        for threshold in thresholds {
            guard let value = threshold.metric.value(of: event.event) else { continue }
            let key = ThresholdCountKey(
                window: window, metric: threshold.metric.rawValue, thresholdMilliseconds: threshold.milliseconds)
            counts[key, default: ThresholdCount()].add(
                ThresholdCount(measured: 1, atOrBelow: value <= threshold.milliseconds ? 1 : 0))
        }
    }

    public mutating func take() -> ThresholdCountRows {
        defer { counts = [:] }
        return ThresholdCountRows(counts)
    }

    public mutating func restore(_ rows: ThresholdCountRows) {
        for (key, count) in rows.counts { counts[key, default: ThresholdCount()].add(count) }
    }

    public mutating func discardUnstored() { counts = [:] }
}
