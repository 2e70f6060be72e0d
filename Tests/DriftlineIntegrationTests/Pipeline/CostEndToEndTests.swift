import DriftlineCore
import DriftlineKafka
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// Kafka → decode → price at ingest → dl_costs, against totals computed from the ground truth's
/// token sums (cost is linear in each kind of token when no tier applies, so Σ per-event cost
/// must equal Σ tokens × price exactly).
@Suite("Cost end to end", .serialized)
struct CostEndToEndTests {
    static let catalogueYAML = """
        currency: USD
        prices:
          - {provider: openai, model: gpt-4o, input: 2.5, output: 10, cached_input: 1.25}
          - {provider: openai, model: gpt-4o-mini, input: 0.15, output: 0.6, cached_input: 0.075}
          - {provider: openai, model: o3-mini, input: 1.1, output: 4.4, cached_input: 0.55, reasoning: 4.4}
          - {provider: anthropic, model_glob: "claude-sonnet-4*", input: 3, output: 15, cached_input: 0.3, cache_write_5m: 3.75}
        """

    /// Per model: input, cached, cache write, output, reasoning per-million prices.
    static let prices: [String: [String]] = [
        "gpt-4o": ["2.5", "1.25", "2.5", "10", "10"],
        "gpt-4o-mini": ["0.15", "0.075", "0.15", "0.6", "0.6"],
        "o3-mini": ["1.1", "0.55", "1.1", "4.4", "4.4"],
        "claude-sonnet-4": ["3", "0.3", "3.75", "15", "15"],
    ]

    @Test func costsAtIngestMatchTheTokenTotals() async throws {
        try await withTestClient { client, database in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString).yaml")
            try Self.catalogueYAML.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 4)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "costs")
            configuration.costs.catalogue = file.path
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            var truth = GroundTruth()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "the partitions to be assigned", timeout: .seconds(60), pollingEvery: .milliseconds(200)
                ) {
                    pipeline.statistics.rebalances > 0
                }
                try produceTraffic(
                    brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 20_000, seed: 5,
                    truth: &truth)
                try await waitUntil(
                    "the pipeline to store every record", timeout: .seconds(120), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "costs") == truth.total
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            let rows = try await store.spend(by: "model", from: 0, to: 4_000_000_000)
            for (model, expected) in truth.models {
                let row = try #require(rows.first { $0.value == model }, "\(model) missing from dl_spend")
                #expect(row.requests == expected.requests)
                if let p = Self.prices[model] {
                    func rate(_ i: Int) throws -> Money { try Money(decimal: p[i], per: 1_000_000) }
                    let uncached = expected.inputTokens - expected.cachedInputTokens - expected.cacheWriteTokens
                    let cost =
                        try rate(0).times(uncached) + rate(1).times(expected.cachedInputTokens)
                        + rate(2).times(expected.cacheWriteTokens)
                        + rate(3).times(expected.outputTokens - expected.reasoningTokens)
                        + rate(4).times(expected.reasoningTokens)
                    #expect(try Money(decimal: try #require(row.costUSD)) == cost, "\(model)")
                    #expect(row.unpricedRequests == 0)
                } else {
                    // gemini (provider google) and llama (vllm) have no price here: NULL, counted.
                    #expect(row.costUSD == nil, "\(model)")
                    #expect(row.unpricedRequests == expected.requests)
                    #expect(row.unpricedTokens == expected.inputTokens + expected.outputTokens)
                }
            }
        }
    }
}
