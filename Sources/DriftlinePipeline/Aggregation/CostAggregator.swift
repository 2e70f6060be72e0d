public import DriftlineCore
public import DriftlineStore

/// Folds each priced event (see ``PricingEnricher``) into the cost rows of its window and
/// cost-attribution key.
public struct CostAggregator: EventAnalyser {
    public let dimensions: WindowGrouping
    public private(set) var costs: [WindowKey: CostAggregate] = [:]

    public init(dimensions: WindowGrouping) {
        self.dimensions = dimensions
    }

    public init(settings: PipelineConfiguration.CostSettings, windowSeconds: Int) {
        self.init(
            dimensions: WindowGrouping(
                windowSeconds: windowSeconds, dimensions: settings.windowDimensions, labels: settings.labels))
    }

    public var isEmpty: Bool { costs.isEmpty }
    public var pendingRows: Int { costs.count }

    /// Folds in one event at `price` (nil: unpriced).
    public mutating func add(_ event: LLMEvent, price: ModelPrice?) {
        costs[dimensions.key(for: event), default: CostAggregate()].add(event.tokens, price: price)
    }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        add(event.event, price: event.price)
    }

    public mutating func take() -> CostRows {
        defer { costs = [:] }
        return CostRows(costs)
    }

    public mutating func restore(_ rows: CostRows) {
        for (key, aggregate) in rows.costs { costs[key, default: CostAggregate()].merge(aggregate) }
    }

    public mutating func discardUnstored() {
        costs = [:]
    }
}
