import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// Change attribution: the first appearance of every model, model version and label value, as
/// the earliest event time of any flush, whatever order partitions and flushes come in.
@Suite("Change events")
struct ChangeTrackerTests {
    static let base: Int64 = 1_764_072_000

    static func events(_ count: Int, seed: UInt64) -> [(LLMEvent, SourcePartition)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let start = EventTime(secondsSinceEpoch: base + Int64(random.next() % 3_600))
            let model = ["a", "b", "c"][Int(random.next() % 3)]
            var event = LLMEvent(start: start, end: start, model: model, provider: "p")
            if random.next() % 2 == 0 { event.dimensions.modelVersion = "v\(random.next() % 4)" }
            if random.next() % 3 == 0 { event.dimensions.labels["prompt"] = "p\(random.next() % 5)" }
            event.dimensions.labels["other"] = "ignored"
            return (event, SourcePartition(topic: "t", partition: Int32(random.next() % 4)))
        }
    }

    /// kind|subject → earliest event time (seconds), by brute force.
    static func bruteForce(_ events: [(LLMEvent, SourcePartition)]) -> [String: Int64] {
        var first: [String: Int64] = [:]
        func note(_ key: String, _ time: Int64) { first[key] = min(first[key] ?? .max, time) }
        for (event, _) in events {
            let time = event.start.microsecondsSinceEpoch / 1_000_000
            note("model|{\"model\": \"\(event.model)\", \"provider\": \"p\"}", time)
            if !event.dimensions.modelVersion.isEmpty {
                note(
                    "model_version|{\"model\": \"\(event.model)\", \"model_version\": \"\(event.dimensions.modelVersion)\"}",
                    time)
            }
            if let prompt = event.dimensions.labels["prompt"] { note("label:prompt|{\"prompt\": \"\(prompt)\"}", time) }
        }
        return first
    }

    @Test func firstAppearancesAreTheEarliestEventTimesOverFlushesAndMembers() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let events = Self.events(4_000, seed: 5)
            // Two members, each with its own tracker, flushing every 500 events; one flush fails and
            // its rows come back.
            var trackers = [ChangeTracker(labels: ["prompt"]), ChangeTracker(labels: ["prompt"])]
            for (index, (event, partition)) in events.enumerated() {
                let member = Int(partition.partition) % 2
                trackers[member].add(EnrichedEvent(event), from: partition)
                if index % 500 == 499 {
                    if index == 999 {
                        let failed = trackers[member].take()
                        trackers[member].restore(failed)
                    }
                    for i in trackers.indices {
                        let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [trackers[i].take()])
                        #expect(try await store.write(batch) == .committed)
                    }
                }
            }
            for i in trackers.indices {
                #expect(
                    try await store.write(FlushBatch(consumerGroup: "g", offsets: [], rows: [trackers[i].take()]))
                        == .committed)
            }
            var stored: [String: Int64] = [:]
            let rows = try await client.query(
                "SELECT kind, subject::text, extract(epoch FROM first_seen)::int8 FROM dl_change_events")
            for try await (kind, subject, time) in rows.decode((String, String, Int64).self) {
                stored["\(kind)|\(subject)"] = time
            }
            #expect(stored == Self.bruteForce(events))
        }
    }

    @Test func aKeyIsHandedOverAgainOnlyForAnEarlierEvent() {
        var tracker = ChangeTracker()
        let partition = SourcePartition(topic: "t", partition: 0)
        func event(_ seconds: Int64) -> EnrichedEvent {
            let time = EventTime(secondsSinceEpoch: Self.base + seconds)
            return EnrichedEvent(LLMEvent(start: time, end: time, model: "a"))
        }
        tracker.add(event(100), from: partition)
        #expect(tracker.take().count == 1)
        tracker.add(event(200), from: partition)
        #expect(tracker.pendingRows == 0)
        tracker.add(event(50), from: partition)
        #expect(tracker.take().firstSeen.values.map(\.eventTimeMicroseconds) == [(Self.base + 50) * 1_000_000])
    }
}
