import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// OTLP spans produced by confluent-kafka (not Driftline's client) to the mock cluster; the
/// pipeline consumes both encodings and the aggregates in PostgreSQL are those of `expected.json`.
@Suite("OTLP end to end", .serialized)
struct OTLPEndToEndTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/DriftlineCoreTests/Fixtures/otlp")
    static let producer = repositoryRoot.appendingPathComponent(
        "Tests/DriftlineIntegrationTests/Support/produce_otlp_fixtures.py")

    /// Per model: what `expected.json` says, times the number of records that carry the span.
    struct Totals: Equatable {
        var requests: Int64 = 0, errors: Int64 = 0, input: Int64 = 0, output: Int64 = 0, cached: Int64 = 0
        var cacheWrite: Int64 = 0, reasoning: Int64 = 0, ttft: Int64 = 0, tpot: Int64 = 0, latency: Int64 = 0
    }

    static func expectedTotals() throws -> (models: [String: Totals], spans: [String: Int64]) {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var models: [String: Totals] = [:]
        for event in object["events"] as? [[String: Any]] ?? [] {
            let model = event["model"] as? String ?? ""
            // In batch.pb, in its trace-N.pb, in batch.json on the JSON topic; the embeddings
            // span is also alone in span.pb.
            let copies: Int64 = model == "text-embedding-3-small" ? 4 : 3
            let tokens = (event["tokens"] as? [String: Any] ?? [:]).mapValues { ($0 as? NSNumber)?.int64Value ?? 0 }
            let output = tokens["output"] ?? 0
            var t = models[model] ?? Totals()
            t.requests += copies
            t.errors += event["status"] as? String == "error" ? copies : 0
            t.input += copies * (tokens["input"] ?? 0)
            t.output += copies * output
            t.cached += copies * (tokens["cached_input"] ?? 0)
            t.cacheWrite += copies * (tokens["cache_write"] ?? 0)
            t.reasoning += copies * (tokens["reasoning"] ?? 0)
            let streamed = event["first_token"] != nil
            t.ttft += streamed ? copies : 0
            t.tpot += streamed && output > 1 ? copies : 0
            t.latency += copies
            models[model] = t
        }
        let spans = (object["non_llm_spans"] as? [String: Any] ?? [:]).mapValues {
            (($0 as? NSNumber)?.int64Value ?? 0) * 3
        }
        return (models, spans)
    }

    static func python() -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }

    @Test func confluentKafkaProducedSpansAreAggregated() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("otlp_spans", partitions: 1)
            try cluster.createTopic("otlp_json", partitions: 1)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python())
            process.arguments = [
                Self.producer.path, cluster.bootstrapServers, "otlp_spans", "otlp_json", Self.fixtures.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            try #require(
                process.terminationStatus == 0, "produce_otlp_fixtures.py failed (is confluent-kafka installed?)")
            #expect(printed.split(separator: "\n").count == 9)

            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "otlp_spans", group: "otlp")
            // otlp_spans gets its default format (otlp_proto) from its name, as in a config file.
            configuration.kafka.topics = try PipelineConfiguration.parse(
                yaml: "kafka:\n  topics:\n    - name: otlp_spans\n    - name: otlp_json\n      format: otlp_json\n"
            ).kafka.topics
            #expect(configuration.kafka.topics.map(\.format) == [.otlpProto, .otlpJSON])
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil("all 9 records stored", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "otlp") == 9
                }
                pipeline.stop()
                try await group.waitForAll()
            }

            let (expected, spans) = try Self.expectedTotals()
            let stored = try await storedModels(client)
            #expect(Set(stored.keys) == Set(expected.keys))
            for (model, want) in expected {
                guard let got = stored[model] else { continue }
                let totals = Totals(
                    requests: got.requests, errors: got.errors, input: got.inputTokens, output: got.outputTokens,
                    cached: got.cachedInputTokens, cacheWrite: got.cacheWriteTokens, reasoning: got.reasoningTokens,
                    ttft: got.ttftCount, tpot: got.tpotCount, latency: got.latencyCount)
                #expect(totals == want, "\(model)")
            }
            #expect(stored["claude-sonnet-4"]?.errorsByType == ["rate_limit": 3])
            // TTFT of the gpt-4o call is 289 ms in every copy.
            let ttft = try await storedQuantile(client, model: "gpt-4o", column: "ttft_ms", q: 0.5)
            #expect(abs((ttft ?? 0) - 289) / 289 < 0.01)

            let counted = try await client.query(
                "SELECT operation, sum(spans)::int8, sum(errors)::int8 FROM dl_span_counts GROUP BY operation")
            var operations: [String: Int64] = [:]
            for try await (operation, count, errors) in counted.decode((String, Int64, Int64).self) {
                operations[operation] = count
                #expect(errors == 0)
            }
            #expect(operations == spans)

            let dead = try await client.query(
                #"SELECT "offset", error_code FROM dl_dead_letters WHERE consumer_group = 'otlp' ORDER BY "offset""#)
            var letters: [Int64: String] = [:]
            for try await (offset, code) in dead.decode((Int64, String).self) { letters[offset] = code }
            #expect(letters == [6: "unknownEnumValue", 7: "wrongEncoding"])
        }
    }
}
