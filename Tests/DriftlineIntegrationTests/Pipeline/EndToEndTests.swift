import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// Real PostgreSQL + librdkafka's mock cluster, the pipeline in this process.
@Suite("End to end", .serialized)
struct EndToEndTests {
    /// 200 k events over 8 partitions. The mock cluster keeps only ~5 MB per partition, so the
    /// traffic is produced in chunks while the pipeline consumes, never more than ~1.5 MB ahead.
    @Test func twoHundredThousandEventsMatchTheGroundTruth() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 3)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 8)
            let configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "e2e")
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            var truth = GroundTruth()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "the partitions to be assigned", timeout: .seconds(60), pollingEvery: .milliseconds(200)
                ) {
                    pipeline.statistics.rebalances > 0
                }
                // ~600-byte records: at most two chunks (20 k records, ~1.5 MB a partition) ahead.
                let total = 200_000
                let chunk = 10_000
                for start in stride(from: 0, to: total, by: chunk) {
                    try produceTraffic(
                        brokers: cluster.bootstrapServers, topic: "llm.requests", count: chunk,
                        seed: UInt64(start + 1), startMicroseconds: 1_764_072_000_000_000 + Int64(start) * 1_000,
                        truth: &truth)
                    let produced = Int64(start + chunk)
                    try await waitUntil(
                        "pipeline to catch up to \(produced)", timeout: .seconds(240), pollingEvery: .milliseconds(200)
                    ) {
                        pipeline.statistics.committedRecords >= produced - Int64(chunk)
                    }
                }
                try await waitUntil(
                    "all \(total) records stored", timeout: .seconds(240), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "e2e") == Int64(total)
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            #expect(truth.total == 200_000)
            try await expectMatches(truth, client)
            let late = try await client.query("SELECT sum(late_events)::int8 FROM dl_windows")
            for try await count in late.decode(Int64.self) { #expect(count > 0, "late events are counted") }
        }
    }

    /// Two members of one group: the second joins mid-way (a rebalance while consuming). The
    /// totals are exact: nothing lost, nothing counted twice.
    @Test func twoConsumersShareThePartitionsAndTheTotalsAreExact() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 3)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 8)
            let configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "pair")
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let first = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            let second = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            var truth = GroundTruth()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.run() }
                try produceTraffic(
                    brokers: cluster.bootstrapServers, topic: "llm.requests", count: 30_000, seed: 11, truth: &truth)
                try await waitUntil(
                    "first member to store some records", timeout: .seconds(120), pollingEvery: .milliseconds(200)
                ) {
                    first.statistics.committedRecords > 5_000
                }
                group.addTask { try await second.run() }
                // The rest in chunks, staying well inside the mock cluster's ~5 MB a partition.
                for chunk in 0..<3 {
                    try produceTraffic(
                        brokers: cluster.bootstrapServers, topic: "llm.requests", count: 10_000,
                        seed: UInt64(12 + chunk), startMicroseconds: 1_764_072_300_000_000 + Int64(chunk) * 60_000_000,
                        truth: &truth)
                    let produced = Int64(40_000 + chunk * 10_000)
                    try await waitUntil(
                        "the members to catch up to \(produced)", timeout: .seconds(120),
                        pollingEvery: .milliseconds(200)
                    ) {
                        try await storedRecordCount(client, group: "pair") >= produced - 20_000
                    }
                }
                try await waitUntil(
                    "all 60000 records stored", timeout: .seconds(180), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "pair") == 60_000
                }
                first.stop()
                second.stop()
                try await group.waitForAll()
            }
            #expect(second.statistics.committedRecords > 0, "the second member took over partitions")
            #expect(first.statistics.rebalances >= 2, "the first member saw the rebalance")
            try await expectMatches(truth, client, quantiles: false)
        }
    }

    /// Bad records go to the dead-letter table with their offsets and reasons; the good
    /// records around them are counted; the partition does not stall.
    @Test func badRecordsLandInDeadLettersAndGoodOnesAreCounted() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 1)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "dlq")
            configuration.decoder.maxRecordBytes = 4096
            configuration.deadLetters.maxPayloadBytes = 100
            let good = Array(
                #"{"request_id":"r","start":1764072000000,"end":1764072001000,"model":"m","tokens":{"input":3,"output":4}}"#
                    .utf8)
            let oversized = Array(
                (#"{"model":"m","start":1764072000000,"end":1764072001000,"prompt":""#
                    + String(repeating: "x", count: 5000) + #""}"#).utf8)
            let bad: [(String, [UInt8])] = [
                ("malformed", Array(#"{"model": m}"#.utf8)),
                ("truncated", Array(good.prefix(40))),
                (
                    "non-UTF-8",
                    Array(#"{"model":"m"#.utf8) + [0xC3, 0x28]
                        + Array(#"","start":1764072000000,"end":1764072001000}"#.utf8)
                ),
                ("oversized", oversized),
                ("empty", []),
                ("not an object", Array("[1,2,3]".utf8)),
                ("end before start", Array(#"{"model":"m","start":1764072001000,"end":1764072000000}"#.utf8)),
            ]
            var producerConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            producerConfiguration.properties = ["linger.ms": "1"]
            let producer = try KafkaProducer(configuration: producerConfiguration)
            var expectedDead: [Int64: String] = [:]
            var offset: Int64 = 0
            for (name, payload) in bad {
                try producer.send(topic: "llm.requests", key: Array("k".utf8), value: good)
                offset += 1
                try producer.send(topic: "llm.requests", key: Array("k".utf8), value: payload)
                expectedDead[offset] = name
                offset += 1
            }
            try producer.send(topic: "llm.requests", key: nil, value: good)
            try producer.flush(timeout: .seconds(30))
            let goodCount = Int64(bad.count + 1)

            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil("all records stored", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "dlq") == goodCount + Int64(bad.count)
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            let stored = try await storedModels(client)
            #expect(stored["m"]?.requests == goodCount)
            let rows = try await client.query(
                """
                SELECT "offset", error_code, reason, payload_size, length(payload), topic, partition
                FROM dl_dead_letters WHERE consumer_group = 'dlq' ORDER BY "offset"
                """)
            var seen: [Int64: String] = [:]
            for try await (offset, code, reason, size, kept, topic, partition) in rows.decode(
                (Int64, String, String, Int32, Int32?, String, Int32).self)
            {
                seen[offset] = code
                #expect(topic == "llm.requests" && partition == 0)
                #expect(!reason.isEmpty)
                #expect((kept ?? 0) <= 100, "payload capped at the configured size")
                if expectedDead[offset] == "oversized" { #expect(size == Int32(oversized.count)) }
            }
            #expect(Set(seen.keys) == Set(expectedDead.keys), "dead letters at exactly the bad offsets")
            let counted = try await client.query(
                "SELECT dead_letters, records, next_offset FROM dl_consumer_offsets WHERE consumer_group = 'dlq'")
            for try await (dead, records, next) in counted.decode((Int64, Int64, Int64).self) {
                #expect(dead == Int64(bad.count))
                #expect(records == goodCount + Int64(bad.count))
                #expect(next == goodCount + Int64(bad.count))
            }
        }
    }
}
