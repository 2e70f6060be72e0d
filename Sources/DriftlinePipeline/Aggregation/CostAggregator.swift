public import DriftlineCore
public import DriftlineStore

/// Prices each event at ingest and folds it into the cost rows of its window and
/// cost-attribution key. The price is the one in force at the event's start, so replaying old
/// events after a price change gives the cost they had.
public struct CostAggregator: Sendable {
    public let catalogue: PriceCatalogue
    public let dimensions: DimensionSet
    public private(set) var costs: [WindowKey: CostAggregate] = [:]
    /// Matching patterns per provider and model, most specific first: regex and glob matching
    /// runs once per distinct name, not per event.
    private var candidates: [ProviderModel: [PriceCatalogue.History]] = [:]
    /// Bounds the cache against producers that send a different model name in every record.
    static let maxCachedNames = 10_000

    private struct ProviderModel: Hashable {
        var provider: String
        var model: String
    }

    public init(catalogue: PriceCatalogue, dimensions: DimensionSet) {
        self.catalogue = catalogue
        self.dimensions = dimensions
    }

    public init(catalogue: PriceCatalogue, settings: PipelineConfiguration.CostSettings, windowSeconds: Int) {
        self.init(
            catalogue: catalogue,
            dimensions: DimensionSet(
                windowSeconds: windowSeconds, dimensions: settings.windowDimensions, labels: settings.labels))
    }

    public var isEmpty: Bool { costs.isEmpty }

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

    public mutating func add(_ event: LLMEvent) {
        let price = price(of: event)
        costs[dimensions.key(for: event), default: CostAggregate()].add(event.tokens, price: price)
    }

    public mutating func take() -> [WindowKey: CostAggregate] {
        defer { costs = [:] }
        return costs
    }

    public mutating func restore(_ aggregates: [WindowKey: CostAggregate]) {
        for (key, aggregate) in aggregates { costs[key, default: CostAggregate()].merge(aggregate) }
    }

    public mutating func reset() {
        costs = [:]
    }
}
