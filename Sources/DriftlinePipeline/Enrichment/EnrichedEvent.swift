public import DriftlineCore

/// An event with what the enrichment step added between decoding and analysis: the price in
/// force for it (nil: unpriced, or no catalogue configured). Later steps add the sampling
/// decision and a computed embedding here.
public struct EnrichedEvent: Sendable {
    public var event: LLMEvent
    public var price: ModelPrice?
    /// Where the event was read: the record's offset in its partition and the event's place in
    /// the record (an OTLP batch holds many), for an id that is stable across replays when the
    /// event has no request id. Nil for events not read from Kafka.
    public var offset: Int64?
    public var indexInRecord: Int

    public init(_ event: LLMEvent, price: ModelPrice? = nil, offset: Int64? = nil, indexInRecord: Int = 0) {
        self.event = event
        self.price = price
        self.offset = offset
        self.indexInRecord = indexInRecord
    }
}
