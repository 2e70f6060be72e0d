public import DriftlineCore

/// Prices each event at ingest: the entry in force at the event's start, so replaying old events
/// after a price change gives the cost they had.
public struct PricingEnricher: EventEnricher {
    public let catalogue: PriceCatalogue
    /// Matching patterns per provider and model, most specific first: regex and glob matching
    /// runs once per distinct name, not per event.
    private var candidates: [ProviderModel: [PriceCatalogue.History]] = [:]
    /// Bounds the cache against producers that send a different model name in every record.
    static let maxCachedNames = 10_000

    private struct ProviderModel: Hashable {
        var provider: String
        var model: String
    }

    public init(catalogue: PriceCatalogue) {
        self.catalogue = catalogue
    }

    public mutating func enrich(_ event: inout EnrichedEvent) {
        event.price = price(of: event.event)
    }

    /// The price that applies to the event, or nil when it is unpriced.
    public mutating func price(of event: LLMEvent) -> ModelPrice? {
        let name = ProviderModel(provider: event.provider, model: event.model)
        let histories: [PriceCatalogue.History]
        if let cached = candidates[name] {
            histories = cached
        } else {
            histories = catalogue.candidates(provider: event.provider, model: event.model)
            if candidates.count >= Self.maxCachedNames { candidates = [:] }
            candidates[name] = histories
        }
        for history in histories {
            if let price = history.entries.last(where: { $0.effectiveFrom <= event.start }) { return price }
        }
        return nil
    }
}
