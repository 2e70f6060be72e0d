/// A step between decoding and analysis that adds to each event what several analysers read
/// (a price, a sampling decision, an embedding), so it is computed once.
public protocol EventEnricher: Sendable {
    mutating func enrich(_ event: inout EnrichedEvent)
}
