import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// LiteLLM payloads (the committed fixtures made by the `litellm` package, with their times
/// varied), wrapped OpenAI chat completions and native request logs on three topics of one
/// pipeline: the aggregates in Postgres match a ground truth computed from the fixtures'
/// expected events (or, for OpenAI, the fixture as Foundation reads it) and the times written.
@Suite("Gateway end to end", .serialized)
struct GatewayEndToEndTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/Gateway")

    /// One fixture as a template: its parsed payload and the per-record facts the truth needs
    /// (from `litellm-expected.json`, which the fixture script computed independently).
    struct Template: Sendable {
        /// The fixture's bytes (parsed again per record: `[String: Any]` is not `Sendable`).
        var payload: Data
        var model: String
        var streamed: Bool
        var failed: Bool
        var errorType: String?
        var tokens: (input: Int64, output: Int64, cached: Int64, write: Int64, reasoning: Int64)
    }

    static func templates() throws -> [Template] {
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: fixtures.appendingPathComponent("litellm-expected.json")))
                as? [String: [String: Any]])
        return try expected.keys.sorted().map { name in
            let payload = try Data(contentsOf: fixtures.appendingPathComponent("litellm-\(name).json"))
            let event = try #require(expected[name])
            let tokens = try #require(event["tokens"] as? [String: NSNumber])
            func count(_ key: String) -> Int64 { tokens[key]?.int64Value ?? -1 }
            return Template(
                payload: payload, model: try #require(event["model"] as? String),
                streamed: event["first_token_us"] is NSNumber, failed: event["status"] as? String == "error",
                errorType: event["error_type"] as? String,
                tokens: (
                    count("input"), count("output"), count("cached_input"), count("cache_write"), count("reasoning")
                ))
        }
    }

    /// Exact decimal seconds for whole microseconds, e.g. `1764072000.120211`.
    static func seconds(_ micros: Int64) -> String {
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// The payload with new times, written as exact decimals (Foundation would print a double
    /// with more digits than were meant): placeholders are swapped for the number text.
    static func record(_ template: Template, start: Int64, firstToken: Int64, end: Int64) throws -> [UInt8] {
        var payload = try #require(try JSONSerialization.jsonObject(with: template.payload) as? [String: Any])
        payload["startTime"] = "@start@"
        payload["completionStartTime"] = "@first@"
        payload["endTime"] = "@end@"
        var text = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"@start@\"", with: seconds(start))
        text = text.replacingOccurrences(of: "\"@first@\"", with: seconds(firstToken))
        text = text.replacingOccurrences(of: "\"@end@\"", with: seconds(end))
        return Array(text.utf8)
    }

    @Test func liteLLMOpenAIAndNativeTopicsAggregateToTheGroundTruth() async throws {
        let templates = try Self.templates()
        try #require(templates.count == 6)
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("litellm.logs", partitions: 4)
            try cluster.createTopic("llm.requests", partitions: 2)
            try cluster.createTopic("openai.completions", partitions: 2)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "gateway")
            configuration.kafka.topics = [
                .init(name: "llm.requests", format: .nativeJSON), .init(name: "litellm.logs", format: .litellm),
                .init(name: "openai.completions", format: .openAIChat),
            ]

            var truth = GroundTruth()
            var producerConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            producerConfiguration.properties = ["linger.ms": "5"]
            let producer = try KafkaProducer(configuration: producerConfiguration)
            // ~13 KB a payload: 1000 of them are ~3.3 MB a partition, inside the mock
            // cluster's retention.
            let count = 1000
            let base: Int64 = 1_764_072_000_000_000
            for index in 0..<count {
                let template = templates[index % templates.count]
                // Spread over five one-minute windows, with latencies and TTFTs that vary.
                let start = base + Int64(index) * 300_000 + Int64(index % 7) * 13
                let latency = 180_000 + Int64((index * 7919) % 2_400_000)
                let end = start + latency
                let firstToken = template.streamed ? start + 40_000 + Int64((index * 104_729) % 120_000) : end
                try producer.send(
                    topic: "litellm.logs", key: nil,
                    value: try Self.record(template, start: start, firstToken: firstToken, end: end),
                    partition: Int32(index % 4))

                var m = truth.models[template.model] ?? GroundTruth.PerModel()
                m.requests += 1
                if template.failed {
                    m.errors += 1
                    m.errorsByType[template.errorType ?? "unknown", default: 0] += 1
                }
                m.inputTokens += template.tokens.input
                m.outputTokens += template.tokens.output
                m.cachedInputTokens += template.tokens.cached
                m.cacheWriteTokens += template.tokens.write
                m.reasoningTokens += template.tokens.reasoning
                m.latency.append(Double(latency) / 1000)
                if template.streamed {
                    m.ttft.append(Double(firstToken - start) / 1000)
                    if template.tokens.output > 1 {
                        m.tpot.append(Double(end - firstToken) / 1000 / Double(template.tokens.output - 1))
                    }
                }
                truth.models[template.model] = m
                truth.total += 1
            }
            // A native record on the LiteLLM topic (a wrong format for the topic) and a
            // payload with an unknown status: dead letters, with reasons.
            let native = Array(#"{"model":"m","start":1764072000000,"end":1764072001000}"#.utf8)
            try producer.send(topic: "litellm.logs", key: nil, value: native, partition: 0)
            var unknownStatus = try #require(
                try JSONSerialization.jsonObject(with: templates[0].payload) as? [String: Any])
            unknownStatus["status"] = "partial"
            try producer.send(
                topic: "litellm.logs", key: nil,
                value: Array(try JSONSerialization.data(withJSONObject: unknownStatus)),
                partition: 1)
            try producer.flush(timeout: .seconds(60))
            // OpenAI chat completions (the documented object and error body, wrapped) on a
            // third topic: every fourth one the 429.
            let completion = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: Self.fixtures.appendingPathComponent("openai-chat-wrapped.json")))
                    as? [String: Any])
            let rateLimited = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: Self.fixtures.appendingPathComponent("openai-chat-error-wrapped.json")))
                    as? [String: Any])
            let usage = try #require((completion["response"] as? [String: Any])?["usage"] as? [String: Any])
            func usageCount(_ path: String...) -> Int64 {
                var object: Any? = usage
                for key in path { object = (object as? [String: Any])?[key] }
                return (object as? NSNumber)?.int64Value ?? -1
            }
            let openAICount = 400
            for index in 0..<openAICount {
                let failed = index % 4 == 3
                var record = failed ? rateLimited : completion
                let start = base / 1000 + Int64(index) * 700
                let latency = Int64(150 + (index * 37) % 2000)
                let first = start + Int64(30 + (index * 11) % 100)
                record["start"] = start
                record["end"] = start + latency
                if failed { record["first_token"] = nil } else { record["first_token"] = first }
                try producer.send(
                    topic: "openai.completions", key: nil,
                    value: Array(try JSONSerialization.data(withJSONObject: record)),
                    partition: Int32(index % 2))
                var m = truth.models["o3-mini"] ?? GroundTruth.PerModel()
                m.requests += 1
                m.latency.append(Double(latency))
                if failed {
                    m.errors += 1
                    m.errorsByType["rate_limit_exceeded", default: 0] += 1
                } else {
                    let output = usageCount("completion_tokens")
                    m.inputTokens += usageCount("prompt_tokens")
                    m.outputTokens += output
                    m.cachedInputTokens += usageCount("prompt_tokens_details", "cached_tokens")
                    m.reasoningTokens += usageCount("completion_tokens_details", "reasoning_tokens")
                    m.ttft.append(Double(first - start))
                    m.tpot.append(Double(start + latency - first) / Double(output - 1))
                }
                truth.models["o3-mini"] = m
                truth.total += 1
            }
            try producer.flush(timeout: .seconds(60))
            // Native traffic alongside, through the same pipeline.
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 2, count: 2000, seed: 5,
                truth: &truth)
            let total = Int64(count + 2 + openAICount + 2000)

            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "all \(total) records stored", timeout: .seconds(180), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "gateway") == total
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            try await expectMatches(truth, client)

            let rows = try await client.query(
                "SELECT topic, error_code, field_reason FROM (SELECT topic, error_code, reason AS field_reason FROM dl_dead_letters WHERE consumer_group = 'gateway') d ORDER BY error_code"
            )
            var dead: [(String, String, String)] = []
            for try await row in rows.decode((String, String, String).self) { dead.append(row) }
            #expect(dead.count == 2)
            #expect(dead.allSatisfy { $0.0 == "litellm.logs" })
            #expect(dead.contains { $0.1 == "invalidValue" && $0.2.contains(#"got "partial""#) })
            #expect(dead.contains { $0.1 == "missingField" && $0.2.contains("not a LiteLLM StandardLoggingPayload") })
        }
    }
}
