public import DriftlineCore

/// An event with what the enrichment step added between decoding and analysis: the price in
/// force for it (nil: unpriced, or no catalogue configured). Later steps add the sampling
/// decision and a computed embedding here.
public struct EnrichedEvent: Sendable {
    public var event: LLMEvent
    public var price: ModelPrice?

    public init(_ event: LLMEvent, price: ModelPrice? = nil) {
        self.event = event
        self.price = price
    }
}
