import DriftlineCore
import DriftlinePipeline
import DriftlineStore

/// Pricing and cost aggregation as the pipeline chains them (the enricher prices, the
/// aggregator folds), for tests that feed events by hand.
struct PricedCosts {
    var pricing: PricingEnricher
    var aggregator: CostAggregator

    init(catalogue: PriceCatalogue, dimensions: WindowGrouping) {
        pricing = PricingEnricher(catalogue: catalogue)
        aggregator = CostAggregator(dimensions: dimensions)
    }

    var costs: [WindowKey: CostAggregate] { aggregator.costs }

    mutating func add(_ event: LLMEvent) {
        aggregator.add(event, price: pricing.price(of: event))
    }

    mutating func take() -> [WindowKey: CostAggregate] { aggregator.take().costs }
}
