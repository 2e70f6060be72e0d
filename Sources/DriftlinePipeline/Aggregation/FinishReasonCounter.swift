import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// Counts finish reasons (`stop`, `length`, `content_filter`, `tool_calls`, …) per window and
/// key: a categorical feature whose shift (more `length`, more `content_filter`) is drift that a
/// latency histogram does not show. Stored in `dl_category_counts` as feature `finish_reason`;
/// an event without one counts under "".
public struct FinishReasonCounter: EventAnalyser {
    public static let feature = "finish_reason"
    public let dimensions: WindowGrouping
    public private(set) var counts: [CategoryKey: Int64] = [:]

    public init(dimensions: WindowGrouping) {
        self.dimensions = dimensions
    }

    public var pendingRows: Int { counts.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        let key = CategoryKey(
            window: dimensions.key(for: event.event), feature: Self.feature, category: event.event.finishReason ?? "")
        counts[key, default: 0].saturatingAdd(1)
    }

    public mutating func take() -> CategoryCountRows {
        defer { counts = [:] }
        return CategoryCountRows(counts)
    }

    public mutating func restore(_ rows: CategoryCountRows) {
        for (key, count) in rows.counts { counts[key, default: 0].saturatingAdd(count) }
    }

    public mutating func discardUnstored() { counts = [:] }
}
