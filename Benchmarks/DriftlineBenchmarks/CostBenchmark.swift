import DriftlineCore
import DriftlineDemo
import DriftlinePipeline
import Foundation

extension Benchmarks {
    /// Pricing at ingest: events decoded up front, then priced from the shipped catalogue and
    /// folded into cost rows (model, provider, app, tenant, team, user, environment).
    static func pricing(_ corpus: Corpus) throws {
        let file = "pipelines/prices-local.yaml"
        guard FileManager.default.fileExists(atPath: file) else {
            print("pricing: skipped (run from the repository root to find \(file))")
            return
        }
        let loadStart = ContinuousClock.now
        let catalogue = try PriceCatalogue.load(file: file)
        let loadSeconds = (ContinuousClock.now - loadStart).seconds
        let decoder = NativeJSONDecoder(keepText: false, keepEmbedding: false)
        var events: [LLMEvent] = []
        events.reserveCapacity(corpus.count)
        for index in 0..<corpus.count {
            corpus.withRecord(index) { bytes in if let event = try? decoder.decode(bytes) { events.append(event) } }
        }
        var pricing = PricingEnricher(catalogue: catalogue)
        var costs = CostAggregator(settings: PipelineConfiguration.CostSettings(), windowSeconds: 60)
        let start = ContinuousClock.now
        for event in events { costs.add(event, price: pricing.price(of: event)) }
        let elapsed = (ContinuousClock.now - start).seconds
        let unpriced = costs.costs.values.reduce(0) { $0 + $1.unpricedRequests }
        print(
            String(
                format:
                    "pricing, 1 thread: %.0f events/s (%.2f µs/event, %d cost rows, %d unpriced); catalogue of %d patterns loaded in %.0f ms",
                Double(events.count) / elapsed, elapsed / Double(max(events.count, 1)) * 1e6, costs.costs.count,
                unpriced,
                catalogue.histories.count, loadSeconds * 1000))
    }
}
