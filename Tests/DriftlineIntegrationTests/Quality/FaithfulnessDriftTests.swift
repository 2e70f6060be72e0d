import DriftlineCore
import DriftlineStats
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline
@testable import DriftlineStore

/// The faithfulness score as a drift signal: ADWIN and Page-Hinkley over the stored scores
/// (each sample fed once, in storing order, with the detectors' state stored in the same
/// transaction), and PSI of the base stratum's scores.
@Suite("Faithfulness drift")
struct FaithfulnessDriftTests {
    static let logger = Logger(label: "test")
    static let hour = QualityStoreTests.hour

    static let settings: PipelineConfiguration.DetectorSettings = {
        var settings = PipelineConfiguration.DetectorSettings()
        settings.signals = [.faithfulness]
        return settings
    }()

    /// Scores of one model: faithful answers around 0.85, then, from `shift` on, a model that
    /// makes things up around 0.35 (a fixed, seeded stream).
    static func samples(count: Int, shift: Int, model: String = "gpt-4o", seed: UInt64 = 11) -> [QualitySampleRecord] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            var record = QualityStoreTests.record(index, model: model, flagged: false, rate: 0.1)
            record.requestID = "\(model)-\(String(index + 100_000))"
            let centre = index < shift ? 0.85 : 0.35
            record.score = min(1, max(0, centre + 0.1 * random.normal()))
            record.verdict = (record.score ?? 0) >= 0.5 ? .faithful : .unfaithful
            return record
        }
    }

    /// What one uninterrupted pair of detectors finds on `scores`.
    static func reference(_ scores: [Double]) -> [SignalDetectors.Detection] {
        var detectors = SignalDetectors(adwin: settings.adwin, pageHinkley: settings.pageHinkley)
        return scores.flatMap { detectors.update($0) }
    }

    /// Fed in pieces, each from the previous piece's stored snapshots, the detectors find what
    /// one uninterrupted pair finds on the whole stream; error verdicts are skipped.
    @Test func piecesFromSnapshotsEqualOneUninterruptedStream() throws {
        var samples = Self.samples(count: 600, shift: 300)
        samples[10].verdict = .error
        samples[10].score = nil
        let expected = Self.reference(samples.compactMap(QualityScoreDetectors.score(of:)))
        #expect(expected.contains { $0.detector == .adwin && $0.index > 299 })

        let detectors = QualityScoreDetectors(consumerGroup: "g", settings: Self.settings)
        var states: [String: [UInt8]] = [:]
        var found: [DriftDetection] = []
        for piece in stride(from: 0, to: samples.count, by: 37) {
            let batch = Array(samples[piece..<min(piece + 37, samples.count)])
            let rows = detectors.follow(batch, from: states)
            found += rows.detections
            for (key, bytes) in rows.states { states[key.key] = bytes }
        }
        #expect(found.map(\.updateIndex) == expected.map(\.index))
        #expect(found.map(\.detector) == expected.map(\.detector.rawValue))
        #expect(Set(found.map(\.signal)) == ["faithfulness"])
        #expect(Set(found.map(\.stream)) == [#"{"model": "gpt-4o"}"#])
        #expect(Set(found.map(\.partition)) == [QualityScoreDetectors.source])
        #expect(states.keys.sorted() == ["faithfulness\t{\"model\": \"gpt-4o\"}"])
    }

    /// Through PostgreSQL: samples stored one at a time, with every other one replayed (stored
    /// again), give the detections of the distinct samples in storing order, once.
    @Test func storedScoresFeedTheDetectorsOnceEach() async throws {
        let samples = Self.samples(count: 400, shift: 200) + Self.samples(count: 50, shift: 50, model: "claude")
        let detectors = QualityScoreDetectors(consumerGroup: "g", settings: Self.settings)
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let store = AggregateStore(client: client, logger: Self.logger)
            var inserted = 0
            for (index, sample) in samples.enumerated() {
                inserted += try await store.insertQualitySamples([sample], observer: detectors)
                if index % 2 == 1 {
                    inserted += try await store.insertQualitySamples([samples[index - 1], sample], observer: detectors)
                }
            }
            #expect(inserted == samples.count)
            let expected = Self.reference(samples.prefix(400).compactMap(QualityScoreDetectors.score(of:)))
            let stored = try await client.query(
                """
                SELECT detector, update_index, stream::text FROM dl_drift_detections
                WHERE signal = 'faithfulness' AND topic = 'dl_quality_samples' AND partition = 0
                ORDER BY stream, update_index, detector
                """)
            var rows: [String] = []
            for try await (detector, index, stream) in stored.decode((String, Int64, String).self) {
                rows.append("\(stream) \(index) \(detector)")
            }
            #expect(!expected.isEmpty)
            #expect(
                rows
                    == expected.map { "{\"model\": \"gpt-4o\"} \($0.index) \($0.detector.rawValue)" }
                    .sorted())
            let state = try await client.query(
                """
                SELECT encode(state, 'hex') FROM dl_analyser_state
                WHERE analyser = 'quality_score_detectors' AND key LIKE '%gpt-4o%'
                """)
            for try await hex in state.decode(String.self) {
                #expect(try SignalDetectors(snapshot: AggregateStore.bytes(hex: hex)).updates == 400)
            }
        }
    }

    /// PSI of `faithfulness` is that of the raw base-stratum scores of each period and grouping.
    @Test func psiComparesTheBaseStratumScores() async throws {
        let reference = Self.samples(count: 300, shift: 300, seed: 1)
        let current = Self.samples(count: 300, shift: 150, seed: 2).enumerated().map { index, sample in
            var moved = sample
            moved.requestID = "current-\(index)"
            moved.window.windowStart = Self.hour + 3_600
            return moved
        }
        // Boosted-stratum samples are not in the comparison.
        let boosted = Self.samples(count: 50, shift: 0, seed: 3).enumerated().map { index, sample in
            var boosted = sample
            boosted.requestID = "boosted-\(index)"
            boosted.stratum = "feedback"
            boosted.rate = 1
            return boosted
        }
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let store = AggregateStore(client: client, logger: Self.logger)
            try await store.insertQualitySamples(reference + current + boosted)
            for binning in [PSIBinning.quantile, .sturges] {
                let evaluator = PSIEvaluator(features: ["faithfulness"], groupBy: [.model], binning: binning)
                let results = try await evaluator.evaluate(
                    store: store, reference: Self.hour..<(Self.hour + 3_600),
                    current: (Self.hour + 3_600)..<(Self.hour + 7_200))
                let scores = { (records: [QualitySampleRecord]) in records.compactMap(\.score).sorted() }
                let expected =
                    binning == .quantile
                    ? PopulationStabilityIndex.quantile(reference: scores(reference), current: scores(current))
                    : PopulationStabilityIndex.sturges(reference: scores(reference), current: scores(current))
                #expect(results.count == 1)
                #expect(results.first?.psi == expected?.value)
                #expect(results.first?.referenceCount == 300 && results.first?.currentCount == 300)
                #expect(results.first?.grouping == #"{"model": "gpt-4o"}"#)
                #expect((results.first?.psi ?? 0) > 0.2)
            }
        }
    }
}
