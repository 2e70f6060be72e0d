import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// PSI computed from the stored aggregates (`PSIEvaluator`, as the scheduled evaluation and
/// `driftline drift report` run it) against a brute-force computation on the raw values: the
/// same bins, filled the same way, give the same PSI.
@Suite("Drift evaluation")
struct DriftEvaluationTests {
    static let hour: Int64 = 1_764_072_000

    /// Two hours of traffic of models `a` and `b`; in the second hour TTFT of `a` triples and
    /// more of `b`'s answers stop at the length limit.
    static func events() -> [LLMEvent] {
        var random = SplitMix64(seed: 23)
        return (0..<8_000).map { index in
            let second = Int64(index) * 7_200 / 8_000
            let current = second >= 3_600
            let model = index % 2 == 0 ? "a" : "b"
            let start = EventTime(microsecondsSinceEpoch: (hour + second) * 1_000_000)
            var event = LLMEvent(
                start: start, end: EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + 3_000_000),
                model: model)
            let ttft = (current && model == "a" ? 900 : 300) * exp(0.3 * random.normal())
            event.firstToken = EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + Int64(ttft * 1000))
            let lengthShare = current && model == "b" ? 0.4 : 0.1
            event.finishReason =
                random.uniform() < lengthShare ? "length" : (random.uniform() < 0.1 ? "tool_calls" : "stop")
            return event
        }
    }

    /// PSI of raw values binned at `bins`' edges, `(lower, upper]`, with Evidently's empty-bin fill.
    static func bruteForce(reference: [Double], current: [Double], bins: [PSIResult.Bin]) -> Double {
        func shares(_ values: [Double]) -> [Double] {
            bins.map { bin in
                guard case .interval(let lower, let upper) = bin.range else { return 0 }
                return Double(values.filter { $0 > lower && $0 <= upper }.count) / Double(values.count)
            }
        }
        return PopulationStabilityIndex.value(
            referenceShares: PopulationStabilityIndex.filled(shares(reference)),
            currentShares: PopulationStabilityIndex.filled(shares(current)))
    }

    @Test func psiFromStoredAggregatesEqualsABruteForceComputation() async throws {
        try await withTestClient { client, database in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let grouping = WindowGrouping(windowSeconds: 60, dimensions: [.model], labels: [])
            var windows = WindowAggregator(dimensions: grouping)
            var reasons = CategoryCounter(dimensions: grouping)
            let partition = SourcePartition(topic: "t", partition: 0)
            let events = Self.events()
            for event in events {
                windows.add(EnrichedEvent(event), from: partition)
                reasons.add(EnrichedEvent(event), from: partition)
            }
            let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [windows.take(), reasons.take()])
            #expect(try await store.write(batch) == .committed)

            let reference = Self.hour..<(Self.hour + 3_600)
            let current = (Self.hour + 3_600)..<(Self.hour + 7_200)
            let evaluator = PSIEvaluator(features: ["ttft", "finish_reason"], groupBy: [.model])
            let results = try await evaluator.evaluate(store: store, reference: reference, current: current)
            #expect(results.count == 4)

            for model in ["a", "b"] {
                let grouping = "{\"model\": \"\(model)\"}"
                func period(_ range: Range<Int64>) -> [LLMEvent] {
                    events.filter { $0.model == model && range.contains($0.start.microsecondsSinceEpoch / 1_000_000) }
                }
                let ttft = try #require(results.first { $0.feature == "ttft" && $0.grouping == grouping })
                let before = period(reference).compactMap(\.ttftMilliseconds)
                let after = period(current).compactMap(\.ttftMilliseconds)
                // The bins the evaluator chose, recomputed from the stored histograms.
                let histograms = (
                    try await store.histograms(.ttft, groupBy: [.model], period: reference)[grouping],
                    try await store.histograms(.ttft, groupBy: [.model], period: current)[grouping]
                )
                let referenceHistogram = try #require(histograms.0)
                let currentHistogram = try #require(histograms.1)
                let computed = try #require(
                    PopulationStabilityIndex.quantile(reference: referenceHistogram, current: currentHistogram))
                #expect(abs(ttft.psi - Self.bruteForce(reference: before, current: after, bins: computed.bins)) < 1e-12)
                #expect(ttft.referenceCount == Int64(before.count) && ttft.currentCount == Int64(after.count))
                #expect(ttft.severity == (model == "a" ? "major" : "stable"), "\(model): PSI \(ttft.psi)")

                let finish = try #require(results.first { $0.feature == "finish_reason" && $0.grouping == grouping })
                func counts(_ events: [LLMEvent]) -> [String: Int64] {
                    events.reduce(into: [:]) { $0[$1.finishReason ?? "", default: 0] += 1 }
                }
                let expected = try #require(
                    PopulationStabilityIndex.categorical(
                        reference: counts(period(reference)), current: counts(period(current))))
                #expect(abs(finish.psi - expected.value) < 1e-12)
                #expect(finish.severity == (model == "b" ? "major" : "stable"), "\(model): PSI \(finish.psi)")
            }

            // `driftline drift report` prints the same PSI, largest first.
            let report = try DriftlineProcess(
                [
                    "drift", "report", "--feature", "ttft", "--group-by", "model",
                    "--reference", "2025-11-25T12:00:00Z..2025-11-25T13:00:00Z",
                    "--current", "2025-11-25T13:00:00Z..2025-11-25T14:00:00Z",
                ],
                environment: ["DATABASE_URL": database.url])
            let exit = await report.waitForExit(within: .seconds(60))
            #expect(exit?.status == 0, "\(report.output)")
            let lines = report.output.split(separator: "\n").map(String.init)
            for result in results where result.feature == "ttft" {
                let line = lines.first { $0.contains(result.grouping) } ?? ""
                #expect(line.contains(String(format: "%.4f", result.psi)) && line.contains(result.severity), "\(lines)")
            }
            #expect(
                (lines.firstIndex { $0.contains("\"a\"") } ?? .max)
                    < (lines.firstIndex { $0.contains("\"b\"") } ?? .max))

            try await store.insert(results)
            try await store.insert(results)  // evaluated again: replaced, not added
            let stored = try await client.query(
                "SELECT count(*)::int8, count(DISTINCT severity)::int8 FROM dl_drift_results")
            for try await (count, severities) in stored.decode((Int64, Int64).self) {
                #expect(count == 4)
                #expect(severities == 2)
            }
        }
    }
}
