import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// The worked example of the analyser seam: finish reasons counted per window, through
/// take/restore and the store, against a brute-force count of the same events.
@Suite("Finish reasons")
struct FinishReasonCounterTests {
    static let reasons: [String?] = ["stop", "length", "content_filter", "tool_calls", nil]

    static func events(_ count: Int, seed: UInt64) -> [LLMEvent] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let start = EventTime(secondsSinceEpoch: 1_764_072_000 + Int64(random.next() % 300))
            var event = LLMEvent(start: start, end: start, model: index % 3 == 0 ? "a" : "b")
            event.finishReason = reasons[Int(random.next() % UInt64(reasons.count))]
            return event
        }
    }

    /// (window start, model, finish reason) → count, by brute force.
    static func bruteForce(_ events: [LLMEvent]) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for event in events {
            let seconds = event.start.microsecondsSinceEpoch / 1_000_000
            counts["\(seconds - seconds % 60)|\(event.model)|\(event.finishReason ?? "")", default: 0] += 1
        }
        return counts
    }

    @Test func countsSurviveAFailedFlushAndMatchABruteForceCount() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let dimensions = WindowGrouping(windowSeconds: 60, dimensions: [.model], labels: [])
            var counter: any EventAnalyser = FinishReasonCounter(dimensions: dimensions)
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
                SELECT extract(epoch FROM window_start)::int8, model, category, events
                FROM dl_category_counts WHERE feature = 'finish_reason'
                """)
            for try await (start, model, category, count) in rows.decode((Int64, String, String, Int64).self) {
                stored["\(start)|\(model)|\(category)"] = count
            }
            #expect(stored == Self.bruteForce(events))
        }
    }

    @Test func discardingDropsUnstoredCounts() {
        var counter = FinishReasonCounter(dimensions: WindowGrouping(windowSeconds: 60, dimensions: [], labels: []))
        for event in Self.events(10, seed: 1) {
            counter.add(EnrichedEvent(event), from: SourcePartition(topic: "t", partition: 0))
        }
        #expect(counter.pendingRows > 0)
        counter.discardUnstored()
        #expect(counter.pendingRows == 0)
    }
}
