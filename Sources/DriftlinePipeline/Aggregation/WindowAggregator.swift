public import DriftlineCore
public import DriftlineStore

/// Tumbling-window aggregation keyed by window start and the configured dimensions.
///
/// There is no watermark that drops events: a late event merges into its own window (the
/// store merges it with what was flushed before) and is counted as late. An event is late when
/// a later window has already been seen on its partition.
public struct WindowAggregator: EventAnalyser {
    public let dimensions: WindowGrouping
    public private(set) var windows: [WindowKey: WindowAggregate] = [:]
    /// The latest window start seen per partition, kept across flushes.
    private var latestWindow: [SourcePartition: Int64] = [:]

    public init(dimensions: WindowGrouping) {
        self.dimensions = dimensions
    }

    public var isEmpty: Bool { windows.isEmpty }
    public var pendingRows: Int { windows.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        add(event.event, from: partition)
    }

    public mutating func add(_ event: LLMEvent, from partition: SourcePartition) {
        let key = dimensions.key(for: event)
        let latest = latestWindow[partition] ?? .min
        let late = key.windowStart < latest
        if key.windowStart > latest { latestWindow[partition] = key.windowStart }
        windows[key, default: WindowAggregate()].add(event, late: late)
    }

    /// Hands over the aggregates built so far and starts empty; the late-event bookkeeping stays.
    public mutating func take() -> WindowRows {
        defer { windows = [:] }
        return WindowRows(windows)
    }

    /// Merges aggregates back in, e.g. those of a flush that failed and will be retried.
    public mutating func restore(_ rows: WindowRows) {
        for (key, aggregate) in rows.windows {
            windows[key, default: WindowAggregate()].merge(aggregate)
        }
    }

    /// Forgets everything, including which windows were seen (after partitions move away).
    public mutating func discardUnstored() {
        windows = [:]
        latestWindow = [:]
    }
}
