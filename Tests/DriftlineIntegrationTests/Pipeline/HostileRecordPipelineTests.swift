import DriftlineCore
import DriftlineKafka
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// Hostile records through the real pipeline (mock cluster → decode → PostgreSQL): for every
/// case the process stays up, the good records around the bad one are counted, the bad one is
/// a dead letter whose reason names the field, and nothing else is stored.
@Suite("Hostile records", .serialized)
struct HostileRecordPipelineTests {
    struct Case {
        var name: String
        var record: [UInt8]
        /// Text the dead letter's reason must contain: the field's name.
        var field: String
    }

    static let encoder = NativeJSONEncoder()
    static func event(_ index: Int) -> LLMEvent {
        let startMilliseconds = 1_764_072_000_000 + Int64(index)
        var event = LLMEvent(
            start: EventTime(millisecondsSinceEpoch: startMilliseconds),
            end: EventTime(millisecondsSinceEpoch: startMilliseconds + 800), model: "good-model",
            provider: "openai", tokens: TokenCounts(input: 10, output: 5))
        event.dimensions.tenant = "acme"
        event.dimensions.labels = ["region": "eu"]
        return event
    }

    static func randomText(_ count: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<count).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    /// A good record with one field changed.
    static func with(_ change: (inout LLMEvent) -> Void) -> [UInt8] {
        var event = event(0)
        change(&event)
        return encoder.encode(event)
    }

    /// A good record's JSON with `"key":"good"` replaced by raw JSON text.
    static func rawJSON(replacing key: String, with value: String) -> [UInt8] {
        var event = event(0)
        switch key {
        case "tenant": event.dimensions.tenant = "PLACEHOLDER"
        default: event.model = "PLACEHOLDER"
        }
        let text = String(decoding: encoder.encode(event), as: UTF8.self)
        return Array(text.replacingOccurrences(of: "\"PLACEHOLDER\"", with: value).utf8)
    }

    static var cases: [Case] {
        var cases: [Case] = []
        let dimensions: [(String, WritableKeyPath<LLMEvent, String>)] = [
            ("model", \.model), ("provider", \.provider), ("app", \.dimensions.app), ("route", \.dimensions.route),
            ("tenant", \.dimensions.tenant), ("user", \.dimensions.user), ("team", \.dimensions.team),
            ("environment", \.dimensions.environment), ("model_version", \.dimensions.modelVersion),
        ]
        for (field, path) in dimensions {
            cases.append(Case(name: "NUL in \(field)", record: with { $0[keyPath: path] = "a\u{0}b" }, field: field))
            cases.append(Case(name: "BEL in \(field)", record: with { $0[keyPath: path] = "a\u{7}b" }, field: field))
            cases.append(
                Case(name: "C1 control in \(field)", record: with { $0[keyPath: path] = "a\u{85}b" }, field: field))
            cases.append(
                Case(
                    name: "3000-character \(field)", record: with { $0[keyPath: path] = randomText(3_000, seed: 3) },
                    field: field))
        }
        cases.append(
            Case(name: "100 KB model", record: with { $0.model = randomText(100_000, seed: 4) }, field: "model"))
        cases.append(
            Case(
                name: "100 KB label value",
                record: with { $0.dimensions.labels["region"] = randomText(100_000, seed: 5) },
                field: "region"))
        cases.append(
            Case(
                name: "NUL in a label value", record: with { $0.dimensions.labels["region"] = "e\u{0}u" },
                field: "region"))
        cases.append(
            Case(
                name: "control character in a label key", record: with { $0.dimensions.labels["re\u{1}gion"] = "eu" },
                field: "labels"))
        cases.append(
            Case(name: "lone high surrogate", record: rawJSON(replacing: "model", with: #""a\ud800b""#), field: "model")
        )
        cases.append(
            Case(name: "lone low surrogate", record: rawJSON(replacing: "tenant", with: #""\udc00""#), field: "tenant"))
        cases.append(
            Case(
                name: "Int64.max input tokens",
                record: with { $0.tokens = TokenCounts(input: Int64.max, output: 1) }, field: "input"))
        cases.append(
            Case(
                name: "Int64.max output tokens",
                record: with { $0.tokens = TokenCounts(input: 1, output: Int64.max) }, field: "output"))
        return cases
    }

    @Test func everyHostileRecordIsADeadLetterNamingItsFieldAndTheRestIsCounted() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 4)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "hostile")
            configuration.aggregation.dimensions = [.model, .provider, .app, .route, .tenant, .team, .environment]
            configuration.aggregation.labels = ["region"]
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())

            var producerConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            producerConfiguration.properties = ["linger.ms": "5", "message.max.bytes": "2000000"]
            let producer = try KafkaProducer(configuration: producerConfiguration)
            let cases = Self.cases
            // Each hostile record sits between good ones, on every partition in turn; then 10 000
            // distinct values of one dimension, all good.
            var good = 0
            var offsets: [String: (partition: Int32, index: Int)] = [:]
            for (index, hostile) in cases.enumerated() {
                let partition = Int32(index % 4)
                for _ in 0..<3 {
                    try producer.send(
                        topic: "llm.requests", key: nil, value: Self.encoder.encode(Self.event(good)),
                        partition: partition)
                    good += 1
                }
                try producer.send(topic: "llm.requests", key: nil, value: hostile.record, partition: partition)
                offsets[hostile.name] = (partition, index)
            }
            for index in 0..<10_000 {
                var event = Self.event(good)
                event.dimensions.tenant = "tenant-\(index)"
                try producer.send(
                    topic: "llm.requests", key: nil, value: Self.encoder.encode(event), partition: Int32(index % 4))
                good += 1
            }
            try producer.flush(timeout: .seconds(30))
            let total = Int64(good + cases.count)

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "all \(total) records stored", timeout: .seconds(120), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "hostile") == total
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            #expect(pipeline.statistics.records == Int64(good))
            #expect(pipeline.statistics.deadLetters == Int64(cases.count))

            let requests = try await client.query("SELECT coalesce(sum(requests), 0)::int8 FROM dl_windows")
            for try await count in requests.decode(Int64.self) { #expect(count == Int64(good), "only the good ones") }
            let tenants = try await client.query("SELECT count(DISTINCT tenant)::int8 FROM dl_windows")
            for try await count in tenants.decode(Int64.self) { #expect(count == 10_001) }
            let rejected = try await client.query("SELECT count(*)::int8 FROM dl_rejected_rows")
            for try await count in rejected.decode(Int64.self) {
                #expect(count == 0, "decoders rejected them all first")
            }

            let letters = try await client.query(
                "SELECT reason, payload_size FROM dl_dead_letters WHERE consumer_group = 'hostile' ORDER BY partition, \"offset\""
            )
            var reasons: [(String, Int32)] = []
            for try await row in letters.decode((String, Int32).self) { reasons.append(row) }
            #expect(reasons.count == cases.count)
            for hostile in cases {
                let matching = reasons.filter { Int($0.1) == hostile.record.count && $0.0.contains(hostile.field) }
                #expect(
                    !matching.isEmpty, "\(hostile.name): no dead letter naming \(hostile.field) in \(reasons.map(\.0))")
            }
        }
    }
}
