import DriftlineCore
import DriftlineKafka
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// Embeddings through the real pipeline (mock cluster → decode → analyser → PostgreSQL) with
/// hostile vectors among good ones: every bad vector is a dead letter naming `embedding`, and the
/// stored sums are exactly those of the good vectors.
@Suite("Embedding pipeline", .serialized)
struct EmbeddingPipelineTests {
    static let dimension = 4

    static func record(_ index: Int, embedding: String) -> [UInt8] {
        let start = 1_764_072_000_000 + Int64(index) * 10
        return Array(
            """
            {"request_id":"req-\(index)","start":\(start),"end":\(start + 500),"model":"m\(index % 2)",\
            "provider":"p","tokens":{"input":3,"output":2},"embedding":\(embedding)}
            """.utf8)
    }

    @Test func hostileVectorsAreDeadLettersAndTheSumsAreThoseOfTheGoodOnes() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 2)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "embeddings")
            configuration.drift.embeddings = PipelineConfiguration.EmbeddingSettings(dimension: Self.dimension)
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())

            let hostile = [
                "[1, 2, 3]", "[1, 2, 3, 4, 5]", "[]", "[1, 2, 1e999, 4]", "[1, 2, -1e39, 4]", "[1, NaN, 3, 4]",
                "[1, \"2\", 3, 4]", "[1, 2, 3, null]", "\"1,2,3,4\"", "[[1, 2], [3, 4]]",
                "[" + Array(repeating: "0.5", count: 100_000).joined(separator: ",") + "]",
            ]
            let producer = try KafkaProducer(
                configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
            var random = SplitMix64(seed: 5)
            var sums: [String: [Double]] = [:]
            var counts: [String: Int64] = [:]
            var good = 0
            var index = 0
            for bad in hostile {
                for _ in 0..<50 {
                    let vector = (0..<Self.dimension).map { _ in Float(random.normal()) }
                    let model = "m\(index % 2)"
                    try producer.send(
                        topic: "llm.requests", key: nil,
                        value: Self.record(index, embedding: "[\(vector.map { "\($0)" }.joined(separator: ","))]"),
                        partition: Int32(index % 2))
                    var sum = sums[model, default: [Double](repeating: 0, count: Self.dimension)]
                    for i in sum.indices { sum[i] += Double(vector[i]) }
                    sums[model] = sum
                    counts[model, default: 0] += 1
                    good += 1
                    index += 1
                }
                try producer.send(
                    topic: "llm.requests", key: nil, value: Self.record(index, embedding: bad),
                    partition: Int32(index % 2))
                index += 1
            }
            try producer.flush(timeout: .seconds(30))
            let total = Int64(index)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "all \(total) records stored", timeout: .seconds(120), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "embeddings") == total
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            #expect(pipeline.statistics.deadLetters == Int64(hostile.count))

            let letters = try await client.query(
                "SELECT reason FROM dl_dead_letters WHERE consumer_group = 'embeddings' ORDER BY \"offset\""
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            #expect(letters.count == hostile.count)
            for reason in letters { #expect(reason.contains("embedding"), "\(reason)") }
            #expect(letters.filter { $0.contains("drift.embeddings.dimension is 4") }.count == 4)

            let stored = try await store.embeddingSums(
                groupBy: [.model], dimension: Self.dimension, period: 0..<4_000_000_000)
            #expect(stored.count == 2)
            for (model, sum) in sums {
                let got = try #require(stored["{\"model\": \"\(model)\"}"])
                #expect(got.count == counts[model])
                #expect(zip(got.sum, sum).allSatisfy { abs($0 - $1) < 1e-9 }, "\(model): \(got.sum) vs \(sum)")
            }
            let requests = try await client.query("SELECT sum(requests)::int8 FROM dl_windows").decode(Int64.self)
                .reduce(into: Int64(0)) { $0 = $1 }
            #expect(requests == Int64(good))
        }
    }
}
