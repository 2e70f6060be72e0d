import DriftlineCore
import DriftlineKafka
import DriftlineModel
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A scorer test double (the scorer is not under test here): flags responses that contain
/// "UNSUPPORTED", and takes `delay` per sample to stand for a slow model.
struct DoubleScorer: FaithfulnessScoring {
    var delay: Duration = .zero
    var name: String { "test-double" }
    var version: String { "1" }

    func score(response: String, context: [String]) throws(ModelError) -> FaithfulnessScore {
        if delay > .zero {
            usleep(UInt32(delay.components.seconds * 1_000_000 + delay.components.attoseconds / 1_000_000_000_000))
        }
        let flagged = response.contains("UNSUPPORTED")
        return FaithfulnessScore(
            score: flagged ? 0.1 : 0.9, threshold: 0.5, weakestSentence: flagged ? response : nil,
            bestContextMatch: context.first, unsupportedTerms: flagged ? ["UNSUPPORTED"] : [])
    }
}

/// The quality plane end to end: librdkafka's mock cluster, the test PostgreSQL, the pipeline in
/// this process with a scorer test double.
@Suite("Quality pipeline", .serialized)
struct QualityPipelineTests {
    static let topic = "llm.requests"

    /// `count` events: every 9th has no response and every 10th no context (ineligible), every
    /// 6th a thumbs-down, every 4th an unsupported response.
    static func events(_ count: Int, prefix: String) -> [LLMEvent] {
        (0..<count).map { index in
            let start = EventTime(microsecondsSinceEpoch: 1_764_072_000_000_000 + Int64(index) * 10_000)
            var event = LLMEvent(
                requestID: "\(prefix)-\(index)", start: start, end: start, model: index % 3 == 0 ? "b" : "a",
                provider: "p")
            event.response = index % 9 == 0 ? nil : index % 4 == 0 ? "It is UNSUPPORTED 42." : "It is 4."
            event.context = index % 10 == 0 ? nil : ["Two plus two is 4."]
            if index % 6 == 0 { event.feedback = Feedback(label: "thumbs_down") }
            return event
        }
    }

    static func produce(_ events: [LLMEvent], brokers: String) throws {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = ["linger.ms": "5"]
        let producer = try KafkaProducer(configuration: configuration)
        let encoder = NativeJSONEncoder()
        for event in events {
            try producer.send(topic: topic, key: Array((event.requestID ?? "").utf8), value: encoder.encode(event))
        }
        try producer.flush(timeout: .seconds(60))
    }

    static func configuration(
        brokers: String, database: TestDatabase, group: String, capacity: Int, baseRate: Double
    ) -> PipelineConfiguration {
        var configuration = testConfiguration(brokers: brokers, database: database, topic: topic, group: group)
        var quality = PipelineConfiguration.QualitySettings()
        quality.rates.base = baseRate
        quality.rates.feedback = 1
        quality.newVersionEvents = 0
        quality.queueCapacity = capacity
        configuration.quality = quality
        return configuration
    }

    struct Counts: Equatable {
        var eligible: Int64 = 0
        var ineligible: Int64 = 0
        var sampled: Int64 = 0
        var shedQueueFull: Int64 = 0
        var shed: Int64 = 0
    }

    static func counts(_ client: PostgresClient) async throws -> Counts {
        let rows = try await client.query(
            """
            SELECT coalesce(sum(events) FILTER (WHERE stratum <> 'ineligible'), 0)::int8,
                   coalesce(sum(events) FILTER (WHERE stratum = 'ineligible'), 0)::int8,
                   coalesce(sum(sampled), 0)::int8, coalesce(sum(shed_queue_full), 0)::int8,
                   coalesce(sum(shed_queue_full + shed_no_scorer + shed_too_long), 0)::int8
            FROM dl_quality_counts
            """)
        for try await (eligible, ineligible, sampled, full, shed) in rows.decode(
            (Int64, Int64, Int64, Int64, Int64).self)
        {
            return Counts(eligible: eligible, ineligible: ineligible, sampled: sampled, shedQueueFull: full, shed: shed)
        }
        return Counts()
    }

    static func samples(_ client: PostgresClient) async throws -> [String: String] {
        var samples: [String: String] = [:]
        for try await (id, verdict) in try await client.query("SELECT request_id, verdict FROM dl_quality_samples")
            .decode((String, String).self)
        {
            samples[id] = verdict
        }
        return samples
    }

    /// The ids the sampling design picks, by brute force from the hash and the strata's rates.
    static func expectedSamples(_ events: [LLMEvent], baseRate: Double) -> Set<String> {
        var ids: Set<String> = []
        for event in events where event.response != nil && event.context != nil {
            let rate = event.feedback != nil ? 1 : baseRate
            if StableSampleHash.fraction(event.requestID!) < rate { ids.insert(event.requestID!) }
        }
        return ids
    }

    /// A scorer 100 ms a sample behind a queue of 4: scoring the 2 700 sampled responses would
    /// take 270 s, yet ingest stores all 3 000 records well within the deadline, and every
    /// sampled response is accounted for — scored, shed (counted by reason), or abandoned at
    /// shutdown.
    @Test func sheddingUnderOverloadKeepsIngestFlowingAndCountsWhatWasShed() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic(Self.topic, partitions: 4)
            let events = Self.events(3_000, prefix: "slow")
            try Self.produce(events, brokers: cluster.bootstrapServers)
            let configuration = Self.configuration(
                brokers: cluster.bootstrapServers, database: database, group: "quality-slow", capacity: 4, baseRate: 1)
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(
                configuration: configuration, store: store, logger: TestLogging.logger(),
                makeScorer: { DoubleScorer(delay: .milliseconds(100)) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil("all records stored", timeout: .seconds(120), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "quality-slow") == 3_000
                }
                #expect((pipeline.scoringQueue?.depth ?? -1) <= 4)
                pipeline.stop()
                try await group.waitForAll()
            }
            let counts = try await Self.counts(client)
            let eligible = events.filter { $0.response != nil && $0.context != nil }.count
            #expect(counts.eligible == Int64(eligible))
            #expect(counts.ineligible == Int64(3_000 - eligible))
            #expect(counts.sampled == Int64(eligible))
            #expect(counts.shedQueueFull > 0)
            let stored = try await Self.samples(client)
            let queue = try #require(pipeline.scoringQueue)
            let scoring = try #require(pipeline.scoringStatistics)
            #expect(
                Int64(stored.count) + counts.shed + queue.abandoned + scoring.unstored == counts.sampled,
                "stored \(stored.count), shed \(counts.shed), abandoned \(queue.abandoned), unstored \(scoring.unstored)"
            )
            #expect(stored.count > 0)
        }
    }

    /// Samples scored and stored whose flush never committed (a crash between the two) are
    /// scored again on replay and stored once; the counts flushed with the offsets are exact.
    @Test func aReplayNeverCountsASampleTwice() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic(Self.topic, partitions: 4)
            let events = Self.events(2_000, prefix: "replay")
            try Self.produce(events, brokers: cluster.bootstrapServers)
            let configuration = Self.configuration(
                brokers: cluster.bootstrapServers, database: database, group: "quality-replay", capacity: 10_000,
                baseRate: 0.3)
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            let expected = Self.expectedSamples(events, baseRate: 0.3)

            func run() async throws -> IngestPipeline {
                let pipeline = IngestPipeline(
                    configuration: configuration, store: store, logger: TestLogging.logger(),
                    makeScorer: { DoubleScorer() })
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pipeline.run() }
                    try await waitUntil("all records stored", timeout: .seconds(120), pollingEvery: .milliseconds(200))
                    {
                        try await storedRecordCount(client, group: "quality-replay") == 2_000
                    }
                    try await waitUntil("every sample scored", timeout: .seconds(120), pollingEvery: .milliseconds(200))
                    {
                        let statistics = pipeline.scoringStatistics ?? ScoringStatistics()
                        return statistics.faithful + statistics.unfaithful + statistics.alreadyStored
                            == Int64(expected.count)
                    }
                    pipeline.stop()
                    try await group.waitForAll()
                }
                return pipeline
            }

            _ = try await run()
            let first = try await Self.samples(client)
            let firstCounts = try await Self.counts(client)
            #expect(Set(first.keys) == expected)
            for (id, verdict) in first {
                let index = Int(id.split(separator: "-").last!)!
                #expect(verdict == (index % 4 == 0 ? "unfaithful" : "faithful"), "\(id)")
            }
            #expect(firstCounts.sampled == Int64(expected.count))
            #expect(firstCounts.shed == 0)

            // As if the flushes had never committed: offsets, counts and state gone, samples kept.
            for table in ["dl_consumer_offsets", "dl_analyser_state"] {
                try await client.query(
                    PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE consumer_group = 'quality-replay'"))
            }
            try await client.query("DELETE FROM dl_quality_counts")
            try await client.query("DELETE FROM dl_windows")
            let second = try await run()
            #expect(second.scoringStatistics?.alreadyStored == Int64(expected.count))
            #expect(try await Self.samples(client) == first)
            #expect(try await Self.counts(client) == firstCounts)
        }
    }
}
