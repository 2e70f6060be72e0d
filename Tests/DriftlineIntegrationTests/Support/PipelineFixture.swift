import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// The totals of one model as stored in Postgres, read with the SQL functions.
struct StoredModel: Equatable {
    var requests: Int64
    var errors: Int64
    var errorsByType: [String: Int64]
    var inputTokens: Int64
    var outputTokens: Int64
    var cachedInputTokens: Int64
    var cacheWriteTokens: Int64
    var reasoningTokens: Int64
    var ttftCount: Int64
    var tpotCount: Int64
    var latencyCount: Int64
}

func storedModels(_ client: PostgresClient) async throws -> [String: StoredModel] {
    let rows = try await client.query(
        """
        SELECT model, sum(requests)::int8, sum(errors)::int8, dl_counts_sum_agg(errors_by_type)::text,
               sum(input_tokens)::int8, sum(output_tokens)::int8, sum(cached_input_tokens)::int8,
               sum(cache_write_tokens)::int8, sum(reasoning_tokens)::int8,
               dl_hist_count(dl_hist_merge_agg(ttft_ms)), dl_hist_count(dl_hist_merge_agg(tpot_ms)),
               dl_hist_count(dl_hist_merge_agg(latency_ms))
        FROM dl_windows GROUP BY model
        """)
    var result: [String: StoredModel] = [:]
    for try await row in rows.decode(
        (String, Int64, Int64, String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
    {
        let errorsByType =
            (try? JSONSerialization.jsonObject(with: Data(row.3.utf8)) as? [String: Any])?
            .mapValues { ($0 as? NSNumber)?.int64Value ?? -1 } ?? [:]
        result[row.0] = StoredModel(
            requests: row.1, errors: row.2, errorsByType: errorsByType, inputTokens: row.4, outputTokens: row.5,
            cachedInputTokens: row.6, cacheWriteTokens: row.7, reasoningTokens: row.8, ttftCount: row.9,
            tpotCount: row.10, latencyCount: row.11)
    }
    return result
}

func storedQuantile(_ client: PostgresClient, model: String, column: String, q: Double) async throws -> Double? {
    let rows = try await client.query(
        PostgresQuery(
            unsafeSQL:
                "SELECT dl_hist_quantile(dl_hist_merge_agg(\(column)), \(q)) FROM dl_windows WHERE model = '\(model)'"))
    for try await value in rows.decode(Double?.self) { return value }
    return nil
}

func storedRecordCount(_ client: PostgresClient, group: String) async throws -> Int64 {
    let rows = try await client.query(
        "SELECT coalesce(sum(records), 0)::int8 FROM dl_consumer_offsets WHERE consumer_group = \(group)")
    for try await value in rows.decode(Int64.self) { return value }
    return 0
}

/// Checks everything stored against the ground truth: exact counts, errors, tokens, histogram
/// counts, and quantiles within the histogram's 1 % bound of the exact order statistics.
func expectMatches(_ truth: GroundTruth, _ client: PostgresClient, quantiles: Bool = true) async throws {
    let stored = try await storedModels(client)
    #expect(Set(stored.keys) == Set(truth.models.keys))
    for (model, expected) in truth.models {
        guard let got = stored[model] else {
            Issue.record("model \(model) missing in Postgres")
            continue
        }
        #expect(got.requests == expected.requests, "\(model) requests")
        #expect(got.errors == expected.errors, "\(model) errors")
        #expect(got.errorsByType == expected.errorsByType, "\(model) errors by type")
        #expect(got.inputTokens == expected.inputTokens, "\(model) input tokens")
        #expect(got.outputTokens == expected.outputTokens, "\(model) output tokens")
        #expect(got.cachedInputTokens == expected.cachedInputTokens, "\(model) cached tokens")
        #expect(got.cacheWriteTokens == expected.cacheWriteTokens, "\(model) cache-write tokens")
        #expect(got.reasoningTokens == expected.reasoningTokens, "\(model) reasoning tokens")
        #expect(got.ttftCount == Int64(expected.ttft.count), "\(model) TTFT count")
        #expect(got.tpotCount == Int64(expected.tpot.count), "\(model) TPOT count")
        #expect(got.latencyCount == Int64(expected.latency.count), "\(model) latency count")
        guard quantiles else { continue }
        for (column, values) in [
            ("ttft_ms", expected.ttft), ("tpot_ms", expected.tpot), ("latency_ms", expected.latency),
        ] {
            for q in [0.5, 0.9, 0.95, 0.99] {
                guard let exact = GroundTruth.exactQuantile(values, q) else { continue }
                let estimate = try await storedQuantile(client, model: model, column: column, q: q)
                let error = abs((estimate ?? .nan) - exact) / exact
                #expect(error <= 0.01, "\(model) \(column) p\(q * 100): stored \(estimate ?? .nan), exact \(exact)")
            }
        }
    }
}

/// A pipeline configuration for a mock cluster and a test database.
func testConfiguration(brokers: String, database: TestDatabase, topic: String, group: String) -> PipelineConfiguration {
    var configuration = PipelineConfiguration()
    configuration.kafka.brokers = brokers
    configuration.kafka.groupID = group
    configuration.kafka.topics = [.init(name: topic, format: .nativeJSON)]
    configuration.kafka.properties = [
        "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "topic.metadata.refresh.interval.ms": "1000",
    ]
    configuration.postgres.url = database.url
    configuration.flush.intervalSeconds = 0.5
    // The shipped alerts/ folder would be found from the package root; alert tests set their own.
    configuration.alerts = nil
    return configuration
}
