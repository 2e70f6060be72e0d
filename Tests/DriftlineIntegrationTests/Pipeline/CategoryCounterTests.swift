import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// The worked example of the analyser seam: categorical features (finish reason, error type, a
/// label) counted per window, through take/restore and the store, against a brute-force count
/// of the same events.
@Suite("Categorical features")
struct CategoryCounterTests {
    static let reasons: [String?] = ["stop", "length", "content_filter", "tool_calls", nil]
    static let languages: [String?] = ["en", "de", "ja", nil]

    static func events(_ count: Int, seed: UInt64) -> [LLMEvent] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let start = EventTime(secondsSinceEpoch: 1_764_072_000 + Int64(random.next() % 300))
            var event = LLMEvent(start: start, end: start, model: index % 3 == 0 ? "a" : "b")
            event.finishReason = reasons[Int(random.next() % UInt64(reasons.count))]
            if random.next() % 10 == 0 {
                event.status = .error
                event.errorType = random.next() % 2 == 0 ? "rate_limit" : nil
            }
            if let language = languages[Int(random.next() % UInt64(languages.count))] {
                event.dimensions.labels["language"] = language
            }
            return event
        }
    }

    /// (feature, window start, model, category) → count, by brute force.
    static func bruteForce(_ events: [LLMEvent]) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for event in events {
            let seconds = event.start.microsecondsSinceEpoch / 1_000_000
            let window = "\(seconds - seconds % 60)|\(event.model)"
            counts["finish_reason|\(window)|\(event.finishReason ?? "")", default: 0] += 1
            let errorType = event.status == .error ? event.errorType ?? "unknown" : ""
            counts["error_type|\(window)|\(errorType)", default: 0] += 1
            counts["label:language|\(window)|\(event.dimensions.labels["language"] ?? "")", default: 0] += 1
        }
        return counts
    }

    @Test func countsSurviveAFailedFlushAndMatchABruteForceCount() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let dimensions = WindowGrouping(windowSeconds: 60, dimensions: [.model], labels: [])
            var counter: any EventAnalyser = CategoryCounter(
                dimensions: dimensions, features: [.finishReason, .errorType, .label("language")])
            let partition = SourcePartition(topic: "t", partition: 0)
            let events = Self.events(5_000, seed: 11)
            for event in events[..<2_000] { counter.add(EnrichedEvent(event), from: partition) }
            // A flush that failed: its rows come back and merge with what came since.
            let failed = counter.takeRows()
            for event in events[2_000...] { counter.add(EnrichedEvent(event), from: partition) }
            counter.restoreRows(failed)
            let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [counter.takeRows()])
            #expect(counter.pendingRows == 0)
            #expect(try await store.write(batch) == .committed)

            var stored: [String: Int64] = [:]
            let rows = try await client.query(
                """
                SELECT feature, extract(epoch FROM window_start)::int8, model, category, events
                FROM dl_category_counts
                """)
            for try await (feature, start, model, category, count) in rows.decode(
                (String, Int64, String, String, Int64).self)
            {
                stored["\(feature)|\(start)|\(model)|\(category)"] = count
            }
            #expect(stored == Self.bruteForce(events))
        }
    }

    @Test func featureNamesAreTheStoredOnes() {
        for name in ["finish_reason", "error_type", "model", "model_version", "label:language"] {
            #expect(CategoricalFeature(name: name)?.name == name)
        }
        #expect(CategoricalFeature(name: "ttft") == nil && CategoricalFeature(name: "label:") == nil)
        var configuration = PipelineConfiguration()
        configuration.drift.psi?.features = ["ttft", "model_version", "finish_reason", "label:language"]
        #expect(configuration.categoricalFeatures == [.finishReason, .dimension(.modelVersion), .label("language")])
    }

    @Test func discardingDropsUnstoredCounts() {
        var counter = CategoryCounter(dimensions: WindowGrouping(windowSeconds: 60, dimensions: [], labels: []))
        for event in Self.events(10, seed: 1) {
            counter.add(EnrichedEvent(event), from: SourcePartition(topic: "t", partition: 0))
        }
        #expect(counter.pendingRows > 0)
        counter.discardUnstored()
        #expect(counter.pendingRows == 0)
    }
}
