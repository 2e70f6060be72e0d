import DriftlineAlerts
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// The SQL of the quality plane against the test PostgreSQL: the Wilson interval against
/// statsmodels, the weighted rate against a brute-force computation, replayed samples stored
/// once, and the quality SLI read from the samples.
@Suite("Quality store")
struct QualityStoreTests {
    static let logger = Logger(label: "test")
    static let hour: Int64 = 1_764_072_000

    struct WilsonCase: Decodable {
        var successes: Double
        var n: Double
        var z: Double
        var lower: Double
        var upper: Double
    }

    struct WilsonFixture: Decodable { var cases: [WilsonCase] }

    @Test func wilsonIntervalMatchesStatsmodels() async throws {
        let url = repositoryRoot.appendingPathComponent(
            "Tests/DriftlineIntegrationTests/Quality/Fixtures/wilson_intervals.json")
        let fixture = try JSONDecoder().decode(WilsonFixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 45)
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            for item in fixture.cases {
                let rows = try await client.query(
                    "SELECT lower, upper FROM dl_wilson_interval(\(item.successes), \(item.n), \(item.z))")
                for try await (lower, upper) in rows.decode((Double, Double).self) {
                    #expect(abs(lower - item.lower) <= 1e-12, "\(item)")
                    #expect(abs(upper - item.upper) <= 1e-12, "\(item)")
                }
            }
            let empty = try await client.query("SELECT lower, upper FROM dl_wilson_interval(0, 0)")
            for try await (lower, upper) in empty.decode((Double?, Double?).self) {
                #expect(lower == nil && upper == nil)
            }
        }
    }

    static func record(
        _ index: Int, model: String, flagged: Bool, rate: Double, error: Bool = false, window: Int64 = hour
    ) -> QualitySampleRecord {
        QualitySampleRecord(
            requestID: "req-\(index)", traceID: index % 2 == 0 ? "t\(index)" : nil,
            eventTimeMicroseconds: (window + Int64(index % 60)) * 1_000_000,
            window: WindowKey(windowStart: window, windowSeconds: 60, model: model, app: "chat"),
            stratum: rate == 1 ? "feedback" : "base", rate: rate,
            verdict: error ? .error : flagged ? .unfaithful : .faithful, score: error ? nil : flagged ? 0.2 : 0.9,
            threshold: error ? nil : 0.5, scorerName: "double", scorerVersion: "1",
            detailJSON: flagged ? #"{"weakest_sentence":"It costs $9.","unsupported_terms":["$9"]}"# : "{}",
            latencyMilliseconds: 1)
    }

    /// Horvitz–Thompson ratio and Kish's n_eff, computed here by brute force from the records.
    @Test func ratesAreWeightedAndReplayedSamplesCountOnce() async throws {
        var built: [QualitySampleRecord] = []
        for index in 0..<300 {
            let model = index % 3 == 0 ? "b" : "a"
            let rate = index % 4 == 0 ? 1.0 : 0.1
            built.append(
                Self.record(
                    index, model: model, flagged: index % 7 == 0 || (model == "b" && index % 2 == 0), rate: rate,
                    error: index % 50 == 1))
        }
        let records = built
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let store = AggregateStore(client: client, logger: Self.logger)
            #expect(try await store.insertQualitySamples(Array(records[..<200])) == 200)
            // A replay scores the first 200 again (with other results): nothing changes for them.
            var replayed = records
            for index in 0..<200 { replayed[index].verdict = .faithful }
            #expect(try await store.insertQualitySamples(replayed) == 100)

            let rates = try await store.qualityRates(by: .model, since: Self.hour - 60)
            #expect(rates.map(\.group) == ["a", "b"])
            for rate in rates {
                let scored = records.filter { $0.window.model == rate.group && $0.verdict != .error }
                let flagged = scored.filter { $0.verdict == .unfaithful }
                let weights = scored.map(\.weight)
                let sum = weights.reduce(0, +)
                let expectedRate = flagged.map(\.weight).reduce(0, +) / sum
                let expectedN = sum * sum / weights.map { $0 * $0 }.reduce(0, +)
                #expect(rate.scored == Int64(scored.count))
                #expect(rate.flagged == Int64(flagged.count))
                #expect(abs((rate.rate ?? .nan) - expectedRate) < 1e-12)
                #expect(abs((rate.effectiveN ?? .nan) - expectedN) < 1e-9)
                #expect((rate.lower ?? .nan) < expectedRate && expectedRate < (rate.upper ?? .nan))
            }
            // The view agrees with the rollup for the one window.
            let view = try await client.query(
                "SELECT model, scored, flagged, hallucination_rate FROM dl_quality_rates ORDER BY model")
            var fromView: [String: (Int64, Int64, Double?)] = [:]
            for try await (model, scored, flagged, rate) in view.decode((String, Int64, Int64, Double?).self) {
                fromView[model] = (scored, flagged, rate)
            }
            for rate in rates {
                #expect(fromView[rate.group]?.0 == rate.scored)
                #expect(fromView[rate.group]?.1 == rate.flagged)
                #expect(fromView[rate.group]?.2 == rate.rate)
            }
            let worst = try #require(try await store.lowestFlaggedSample(since: Self.hour - 60))
            #expect(worst.weakestSentence == "It costs $9.")
            #expect(worst.unsupportedTerms == ["$9"])
        }
    }

    /// `quality` SLI: good = faithful samples, total = scored samples (errors left out), per group
    /// and time range, read from dl_quality_samples.
    @Test func theQualitySLICountsFaithfulAmongScoredSamples() async throws {
        var built: [QualitySampleRecord] = []
        for index in 0..<120 {
            let window = Self.hour + Int64(index / 40) * 1_200
            built.append(
                Self.record(
                    index, model: index % 2 == 0 ? "a" : "b", flagged: index % 5 == 0, rate: 0.5,
                    error: index % 17 == 3,
                    window: window))
        }
        let records = built
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let store = AggregateStore(client: client, logger: Self.logger)
            try await store.insertQualitySamples(records)
            let source = PostgresAlertStore(client: client, logger: Self.logger)
            let end = Date(timeIntervalSince1970: TimeInterval(Self.hour + 3_600))
            let sli = SLIDefinition(good: CounterReference(.samplesFaithful), total: CounterReference(.samplesScored))
            for window in [Duration.seconds(3_600), .seconds(1_200)] {
                let since = Self.hour + 3_600 - Int64(window.components.seconds)
                let counts = try await source.eventCounts(
                    EventCountQuery(sli: sli, filter: DimensionFilter(), groupBy: [.model], window: window, end: end))
                for model in ["a", "b"] {
                    let selected = records.filter {
                        $0.window.model == model && $0.window.windowStart >= since && $0.verdict != .error
                    }
                    #expect(
                        counts[AlertGroup([.model: model])]
                            == EventCounts(
                                good: Int64(selected.filter { $0.verdict == .faithful }.count),
                                total: Int64(selected.count)), "\(model) over \(window)")
                }
            }
            let onlyA = try await source.eventCounts(
                EventCountQuery(
                    sli: sli, filter: DimensionFilter([.model: ["a"]]), groupBy: [], window: .seconds(3_600), end: end))
            let scoredA = records.filter { $0.window.model == "a" && $0.verdict != .error }
            #expect(onlyA[.all]?.total == Int64(scoredA.count))
        }
    }
}
