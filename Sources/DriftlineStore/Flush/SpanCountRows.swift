public import Logging
public import PostgresNIO

/// OTLP spans that are not model calls, counted per window and operation (`dl_span_counts`).
public struct SpanCountRows: StoredRows {
    public var counts: [SpanCountKey: SpanCount]

    public init(_ counts: [SpanCountKey: SpanCount]) { self.counts = counts }

    public var table: String { "dl_span_counts" }
    public var count: Int { counts.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.upsertSpanCounts(counts, on: connection, logger: logger)
    }

    public func split() -> (SpanCountRows, SpanCountRows) {
        let (first, second) = halves(counts)
        return (SpanCountRows(first), SpanCountRows(second))
    }

    public func describe() -> String { counts.map { "\($0.key): \($0.value.spans) spans" }.joined(separator: "; ") }
}
