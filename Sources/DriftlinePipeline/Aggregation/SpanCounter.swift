public import DriftlineCore
public import DriftlineStore

/// Counts the OTLP spans that are not model calls per window, app, environment and operation.
///
/// An OTLP record is all or nothing: if one span of an export batch is invalid the decoder
/// rejects the record, which is dead-lettered whole, and none of its spans is counted — so
/// replaying the dead letter after a fix counts every span exactly once.
public struct SpanCounter: EventAnalyser {
    public let windowing: WindowGrouping
    public private(set) var counts: [SpanCountKey: SpanCount] = [:]

    public init(windowing: WindowGrouping) {
        self.windowing = windowing
    }

    public var pendingRows: Int { counts.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {}

    public mutating func add(_ span: OTLPSpanSummary, from partition: SourcePartition) {
        let key = SpanCountKey(
            windowStart: windowing.windowStart(of: span.start), windowSeconds: Int32(windowing.windowSeconds),
            app: span.app, environment: span.environment, operation: span.operation)
        counts[key, default: SpanCount()].merge(SpanCount(spans: 1, errors: span.isError ? 1 : 0))
    }

    public mutating func take() -> SpanCountRows {
        defer { counts = [:] }
        return SpanCountRows(counts)
    }

    public mutating func restore(_ rows: SpanCountRows) {
        for (key, count) in rows.counts { counts[key, default: SpanCount()].merge(count) }
    }

    public mutating func discardUnstored() { counts = [:] }
}
