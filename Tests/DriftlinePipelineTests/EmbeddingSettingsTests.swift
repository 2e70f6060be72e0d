import DriftlineCore
import DriftlineStats
import DriftlineStore
import Testing

@testable import DriftlinePipeline

/// `drift.embeddings:` — off by default, the dimension required, every setting read, a clear
/// message for a bad one; and the decoder refusing a vector of another dimension.
@Suite struct EmbeddingSettingsTests {
    static func message(_ drift: String) -> String { DriftSettingsTests.message(drift) }

    @Test func offByDefaultAndNoAnalyserOrEmbeddingKept() throws {
        let configuration = try DriftSettingsTests.parse("")
        #expect(configuration.drift.embeddings == nil)
        let (_, analysers) = configuration.analysis(catalogue: nil)
        #expect(!analysers.contains { $0 is EmbeddingCentroidAnalyser })
        #expect(!analysers.reduce(AnalyserNeeds()) { $0.union($1.needs) }.contains(.embedding))
        #expect(try DriftSettingsTests.parse("drift: {embeddings: off}").drift.embeddings == nil)
    }

    @Test func everySettingIsRead() throws {
        let configuration = try DriftSettingsTests.parse(
            """
            drift:
              embeddings:
                dimension: 384
                group_by: [app, model]
                sample_size: 50
                permutations: 0
                every_seconds: 60
                current_seconds: 600
                reference_from: "2026-11-01T00:00:00Z"
                reference_to: "2026-11-02T00:00:00Z"
            lifecycle: {retention_days: {embeddings: 0}}
            """)
        let embeddings = try #require(configuration.drift.embeddings)
        #expect(embeddings.dimension == 384 && embeddings.groupBy == [.app, .model])
        #expect(embeddings.sampleSize == 50 && embeddings.permutations == 0 && embeddings.everySeconds == 60)
        let (reference, current) = embeddings.periods(now: 1_764_072_125, windowSeconds: 60)
        #expect(current == 1_764_071_520..<1_764_072_120)
        #expect(reference == 1_793_491_200..<1_793_577_600)
        let (_, analysers) = configuration.analysis(catalogue: nil)
        let analyser = try #require(analysers.compactMap { $0 as? EmbeddingCentroidAnalyser }.first)
        #expect(analyser.dimension == 384 && analyser.sampleSize == 50)
        #expect(analysers.reduce(AnalyserNeeds()) { $0.union($1.needs) }.contains(.embedding))

        let trailing = try #require(
            try DriftSettingsTests.parse("drift: {embeddings: {dimension: 8, reference_seconds: 7200}}").drift
                .embeddings)
        let (before, after) = trailing.periods(now: 600_059, windowSeconds: 60)
        #expect(after == 596_400..<600_000 && before == 589_200..<596_400)
    }

    @Test func badSettingsSayWhatWasExpected() {
        #expect(Self.message("drift: {embeddings: {group_by: [model]}}").contains("dimension"))
        #expect(Self.message("drift: {embeddings: {dimension: 0}}").contains("expected an integer in 1…65536, got 0"))
        #expect(Self.message("drift: {embeddings: {dimension: x}}").contains("expected the vectors' dimension"))
        #expect(Self.message("drift: {embeddings: {dimension: 8, sample_size: 1}}").contains("sample_size"))
        #expect(Self.message("drift: {embeddings: {dimension: 8, sample_size: 5000}}").contains("2…1000"))
        #expect(Self.message("drift: {embeddings: {dimension: 8, encode_txt: true}}").contains("unknown setting"))
        #expect(Self.message("drift: {embeddings: {dimension: 8, group_by: [colour]}}") != "accepted")
        #expect(
            Self.message("drift: {embeddings: {dimension: 8, reference_from: \"2026-11-01T00:00:00Z\"}}")
                .contains("needs both"))
        #expect(Self.message("drift: {embeddings: on}") != "accepted")
        #expect(
            Self.message("drift: {embeddings: {dimension: 8, encode_text: title}}")
                .contains("expected response, prompt or off, got \"title\""))
    }

    /// `encode_text` picks the text an event without a vector is embedded from, and asks the
    /// decoder to keep the texts; off (the default) keeps neither.
    @Test func encodeTextChoosesTheTextAndKeepsIt() throws {
        for (value, source) in [("response", EmbeddingTextSource.response), ("prompt", .prompt)] {
            let configuration = try DriftSettingsTests.parse(
                "drift: {embeddings: {dimension: 8, encode_text: \(value)}}")
            #expect(configuration.drift.embeddings?.encodeText == source)
            let (_, analysers) = configuration.analysis(catalogue: nil)
            #expect(analysers.reduce(AnalyserNeeds()) { $0.union($1.needs) }.contains(.text))
        }
        for yaml in ["drift: {embeddings: {dimension: 8, encode_text: off}}", "drift: {embeddings: {dimension: 8}}"] {
            let configuration = try DriftSettingsTests.parse(yaml)
            #expect(configuration.drift.embeddings?.encodeText == nil)
            let (_, analysers) = configuration.analysis(catalogue: nil)
            #expect(!analysers.reduce(AnalyserNeeds()) { $0.union($1.needs) }.contains(.text))
        }
        var event = LLMEvent(
            requestID: "r", start: EventTime(microsecondsSinceEpoch: 0), end: EventTime(microsecondsSinceEpoch: 0),
            model: "m")
        event.prompt = "Where is my parcel?"
        event.response = " \n "
        #expect(EmbeddingTextSource.prompt.text(of: event) == "Where is my parcel?")
        #expect(EmbeddingTextSource.response.text(of: event) == nil)
    }

    /// The decoder of a pipeline with embedding drift refuses, naming `embedding`, a vector of
    /// another length (longer, shorter, empty) and a non-finite element; a record without an
    /// embedding is fine.
    @Test func theDecoderRefusesAVectorOfAnotherDimension() throws {
        let configuration = try DriftSettingsTests.parse("drift: {embeddings: {dimension: 3}}")
        let (_, analysers) = configuration.analysis(catalogue: nil)
        let registry = DecoderRegistry(
            configuration: configuration, mapping: GenAIMapping(),
            needs: analysers.reduce(AnalyserNeeds()) { $0.union($1.needs) })
        let decoder = NativeJSONDecoder(keepText: false, keepEmbedding: true, embeddingDimension: 3)
        func record(_ embedding: String) -> [UInt8] {
            Array(
                """
                {"request_id":"r1","start":"2026-11-25T12:00:00Z","end":"2026-11-25T12:00:01Z","model":"m",\
                "provider":"p","embedding":\(embedding)}
                """.utf8)
        }
        func error(_ embedding: String) -> DecodeError? {
            record(embedding).withUnsafeBytes { bytes -> DecodeError? in
                do {
                    _ = try decoder.decode(bytes)
                    return nil
                } catch {
                    return error as? DecodeError
                }
            }
        }
        for bad in ["[1, 2]", "[1, 2, 3, 4]", "[]"] {
            let refused = try #require(error(bad), "\(bad) accepted")
            #expect(refused.field == "embedding" && refused.code == .invalidValue)
            #expect(refused.reason.contains("drift.embeddings.dimension is 3"))
        }
        #expect(error("[1, 1e999, 3]")?.field == "embedding[1]")
        #expect(error("[1, 2, 3]") == nil && error("null") == nil)
        let kept = try record("[0.5, -1, 2]").withUnsafeBytes { try decoder.decode($0) }
        #expect(kept.embedding == [0.5, -1, 2])
        // The pipeline's registry builds the same decoder from the configuration.
        let outcome = record("[1, 2]").withUnsafeBytes { bytes -> String in
            do {
                try registry.decoder(forTopic: "t").decode(bytes) { _ in }
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome.contains("drift.embeddings.dimension is 3"))
    }
}
