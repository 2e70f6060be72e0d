import DriftlineCore
import DriftlineStore

/// The OTLP side of the ingest handler: decodes a record into its model-call events (which the
/// caller aggregates like any other) and counts the other spans per window and operation.
///
/// A record is all or nothing: if one span of an export batch is invalid the decoder rejects
/// the record, the caller dead-letters it whole (one dead-letter row per Kafka record, its
/// coordinates unique), and none of its spans is counted — so replaying the dead letter after
/// a fix counts every span exactly once.
struct OTLPIngest {
    private let protobuf: OTLPDecoder
    private let json: OTLPDecoder
    private let windowing: DimensionSet
    private(set) var spanCounts: [SpanCountKey: SpanCount] = [:]

    init(mapping: GenAIMapping, maxRecordBytes: Int, windowing: DimensionSet) {
        // The aggregates need no text: prompt, response and retrieved context are not materialised.
        protobuf = OTLPDecoder(encoding: .protobuf, mapping: mapping, maxRecordBytes: maxRecordBytes, keepText: false)
        json = OTLPDecoder(encoding: .json, mapping: mapping, maxRecordBytes: maxRecordBytes, keepText: false)
        self.windowing = windowing
    }

    /// Decodes one record and counts its non-model-call spans; returns its events.
    mutating func decode(_ value: UnsafeRawBufferPointer, format: RecordFormat) throws(DecodeError) -> [LLMEvent] {
        let batch = try (format == .otlpJSON ? json : protobuf).decode(value)
        for span in batch.otherSpans {
            let key = SpanCountKey(
                windowStart: windowing.windowStart(of: span.start), windowSeconds: Int32(windowing.windowSeconds),
                app: span.app, environment: span.environment, operation: span.operation)
            spanCounts[key, default: SpanCount()].merge(SpanCount(spans: 1, errors: span.isError ? 1 : 0))
        }
        return batch.events
    }

    mutating func take() -> [SpanCountKey: SpanCount] {
        defer { spanCounts = [:] }
        return spanCounts
    }

    mutating func restore(_ counts: [SpanCountKey: SpanCount]) {
        for (key, count) in counts { spanCounts[key, default: SpanCount()].merge(count) }
    }

    mutating func reset() { spanCounts = [:] }
}
