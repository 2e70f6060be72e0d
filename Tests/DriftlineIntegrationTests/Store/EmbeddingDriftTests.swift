import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// Embedding drift from the stored per-window sums and samples (`EmbeddingDriftEvaluator`, as the
/// scheduled evaluation runs it) against brute force on the raw vectors: the events are written
/// by two analysers (two members) in several flushes each, and the merged centroids, distances,
/// samples and MMD must be those of one pass over the raw vectors.
@Suite("Embedding drift")
struct EmbeddingDriftTests {
    static let hour: Int64 = 1_764_072_000
    static let dimension = 16

    /// Two hours of two models' traffic; in the second hour model `a`'s vectors move by 0.4 on
    /// their first four coordinates (a new topic), `b`'s stay.
    static func events() -> [LLMEvent] {
        var random = SplitMix64(seed: 31)
        return (0..<6_000).map { index in
            let second = Int64(index) * 7_200 / 6_000
            let model = index % 3 == 0 ? "b" : "a"
            let start = EventTime(microsecondsSinceEpoch: (hour + second) * 1_000_000 + Int64(index % 1_000))
            var event = LLMEvent(
                requestID: "req-\(index)", start: start,
                end: EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + 1_000_000), model: model)
            let shifted = model == "a" && second >= 3_600
            event.embedding = (0..<dimension).map { coordinate in
                Float(random.normal() * 0.5 + (shifted && coordinate < 4 ? 0.4 : 0) + (model == "b" ? 1 : 0))
            }
            return event
        }
    }

    @Test func distancesFromMergedWindowsEqualBruteForceOnTheRawVectors() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            var settings = PipelineConfiguration.EmbeddingSettings(dimension: Self.dimension)
            settings.sampleSize = 60
            settings.permutations = 200
            var members = [
                EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings),
                EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings),
            ]
            let partition = SourcePartition(topic: "t", partition: 0)
            let events = Self.events()
            for (index, event) in events.enumerated() {
                let member = index % 7 == 0 ? 1 : 0
                members[member].add(EnrichedEvent(event), from: partition)
                // Flushes every few hundred events, so windows are written several times over.
                if index % 377 == 0 || index == events.count - 1 {
                    for m in members.indices {
                        var rows = members[m].take()
                        if index % 754 == 0 {
                            // A failed flush gives its rows back; the next one writes them.
                            members[m].restore(rows)
                            rows = members[m].take()
                        }
                        let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [rows])
                        #expect(try await store.write(batch) == .committed)
                    }
                }
            }
            #expect(members.allSatisfy { $0.refused == 0 })

            // No window keeps more than the sample size, however many flushes wrote it.
            let largest = try await client.query(
                "SELECT coalesce(max(n), 0)::int8 FROM (SELECT count(*) AS n FROM dl_embedding_samples GROUP BY window_start, model) s"
            ).decode(Int64.self).reduce(into: Int64(0)) { $0 = $1 }
            // Every window keeps min(its vectors, 60): nothing lost, nothing beyond the bound.
            var perWindow: [String: Int] = [:]
            for event in events {
                perWindow["\(event.start.microsecondsSinceEpoch / 60_000_000)/\(event.model)", default: 0] += 1
            }
            #expect(largest == Int64(min(60, perWindow.values.max() ?? 0)))
            let stored = try await client.query("SELECT count(*)::int8 FROM dl_embedding_samples").decode(Int64.self)
                .reduce(into: Int64(0)) { $0 = $1 }
            #expect(stored == Int64(perWindow.values.reduce(0) { $0 + min(60, $1) }))

            let reference = Self.hour..<(Self.hour + 3_600)
            let current = (Self.hour + 3_600)..<(Self.hour + 7_200)
            let evaluator = EmbeddingDriftEvaluator(settings)
            let results = try await evaluator.evaluate(store: store, reference: reference, current: current)
            #expect(results.map(\.grouping) == ["{\"model\": \"a\"}", "{\"model\": \"b\"}"])

            for model in ["a", "b"] {
                func vectors(_ range: Range<Int64>) -> [LLMEvent] {
                    events.filter { $0.model == model && range.contains($0.start.microsecondsSinceEpoch / 1_000_000) }
                }
                func centroid(_ events: [LLMEvent]) -> [Double] {
                    var sum = [Double](repeating: 0, count: Self.dimension)
                    for event in events { for (i, x) in event.embedding!.enumerated() { sum[i] += Double(x) } }
                    return sum.map { $0 / Double(events.count) }
                }
                /// The `k` vectors with the smallest request-id hashes, by brute-force sorting.
                func sample(_ events: [LLMEvent]) -> [[Float]] {
                    events.map { (SampleHash.hash($0.requestID!), $0.embedding!) }.sorted { $0.0 < $1.0 }.prefix(60)
                        .map { $0.1 }
                }
                let before = vectors(reference)
                let after = vectors(current)
                let (x, y) = (centroid(before), centroid(after))
                var dot = 0.0
                var xx = 0.0
                var yy = 0.0
                var squared = 0.0
                for i in x.indices {
                    dot += x[i] * y[i]
                    xx += x[i] * x[i]
                    yy += y[i] * y[i]
                    squared += (x[i] - y[i]) * (x[i] - y[i])
                }
                let result = try #require(results.first { $0.grouping == "{\"model\": \"\(model)\"}" })
                #expect(result.referenceCount == Int64(before.count) && result.currentCount == Int64(after.count))
                let cosine = try #require(result.cosineDistance)
                #expect(abs(cosine - (1 - dot / (xx * yy).squareRoot())) < 1e-9)
                #expect(abs(result.euclideanDistance - squared.squareRoot()) < 1e-9)
                // The period before the current one is the reference here.
                let similarity = try #require(result.previousSimilarity)
                #expect(abs(similarity - dot / (xx * yy).squareRoot()) < 1e-9)

                let sums = try await store.embeddingSums(groupBy: [.model], dimension: Self.dimension, period: current)
                let stored = try #require(sums["{\"model\": \"\(model)\"}"]?.centroid)
                #expect(zip(stored, y).allSatisfy { abs($0 - $1) < 1e-9 })

                let samples = try await store.embeddingSamples(
                    groupBy: [.model], dimension: Self.dimension, period: current, size: 60)
                #expect(samples["{\"model\": \"\(model)\"}"] == sample(after))
                let expected = try MaximumMeanDiscrepancy(reference: sample(before), current: sample(after))
                #expect(result.mmd == expected.score && result.mmdBandwidth == expected.medianDistance)
                #expect(result.mmdPValue == (try expected.permutationPValue(permutations: 200, seed: 0)))
                #expect(result.referenceSample == 60 && result.currentSample == 60)
            }
            let a = try #require(results.first)
            let b = try #require(results.last)
            #expect(a.euclideanDistance > 0.6 && b.euclideanDistance < 0.2, "a's topic moved, b's did not")
            #expect(try #require(a.mmdPValue) < 0.01)

            // Written, read back, and replaced when evaluated again.
            try await store.insert(results)
            try await store.insert(results)
            let rows = try await client.query(
                "SELECT count(*)::int8 FROM dl_embedding_drift WHERE mmd IS NOT NULL AND cosine_distance IS NOT NULL"
            ).decode(Int64.self).reduce(into: Int64(0)) { $0 = $1 }
            #expect(rows == 2)
            let alertStore = PostgresAlertStore(client: client, logger: store.logger)
            let latest = try await alertStore.latestCentroidDistances(metric: .euclidean)
            #expect(latest == ["{\"model\": \"a\"}": a.euclideanDistance, "{\"model\": \"b\"}": b.euclideanDistance])
        }
    }
}
