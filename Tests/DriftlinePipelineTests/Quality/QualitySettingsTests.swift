import Foundation
import Testing

@testable import DriftlinePipeline

@Suite struct QualitySettingsTests {
    @Test func theSectionDecodesWithOverridesAndIsOffByDefault() throws {
        #expect(try PipelineConfiguration.parse(yaml: "flush:\n  interval_seconds: 1\n").quality == nil)
        #expect(try PipelineConfiguration.parse(yaml: "quality: off\n").quality == nil)
        let yaml = """
            quality:
              base_rate: 0.02
              feedback_rate: 1
              finish_reasons: [length]
              ground_on_prompt: true
              new_version_events: 50
              queue_capacity: 64
              overrides:
                - {app: support, base_rate: 0.5}
                - {model: gpt-4o, app: chat, finish_reason_rate: 0.9}
            """
        let quality = try #require(try PipelineConfiguration.parse(yaml: yaml).quality)
        #expect(quality.rates.base == 0.02)
        #expect(quality.finishReasons == ["length"])
        #expect(quality.groundOnPrompt)
        #expect(quality.newVersionEvents == 50)
        #expect(quality.queueCapacity == 64)
        #expect(quality.rates(app: "support", model: "x").base == 0.5)
        #expect(quality.rates(app: "chat", model: "gpt-4o").finishReason == 0.9)
        #expect(quality.rates(app: "chat", model: "gpt-4o").base == 0.02)
        #expect(quality.rates(app: "chat", model: "other") == quality.rates)
        #expect(
            try PipelineConfiguration.parse(yaml: "quality: {}\n").quality == PipelineConfiguration.QualitySettings())
    }

    @Test(arguments: [
        ("quality:\n  base_rte: 0.1\n", "quality.base_rte", "unknown setting"),
        ("quality:\n  base_rate: 1.5\n", "quality.base_rate", "[0, 1]"),
        ("quality:\n  base_rate: lots\n", "quality.base_rate", "expected a rate"),
        ("quality:\n  queue_capacity: 0\n", "quality.queue_capacity", "1…1000000"),
        ("quality:\n  workers: 0\n", "quality.workers", "1…64"),
        ("quality:\n  overrides: [{base_rate: 0.1}]\n", "quality.overrides[0]", "app, model or both"),
        ("quality:\n  overrides: [{app: a, base_rate: -1}]\n", "quality.overrides[0].base_rate", "[0, 1]"),
        ("quality:\n  overrides: [{app: a, colour: red}]\n", "quality.overrides[0].colour", "unknown setting"),
        ("quality:\n  scorer: minilm\n", "quality.scorer", "expected reference or {cross_encoder"),
        ("quality:\n  scorer: {nli: {directory: m}}\n", "quality.scorer.nli", "unknown setting"),
        ("quality:\n  scorer: {cross_encoder: {}}\n", "quality.scorer.cross_encoder.directory", "is required"),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, colour: red}}\n", "quality.scorer.cross_encoder.colour",
            "unknown setting"
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: ''}}\n", "quality.scorer.cross_encoder.directory",
            "expected the model's directory"
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, threshold: 2}}\n",
            "quality.scorer.cross_encoder.threshold", "[0, 1], got 2"
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, threshold: high}}\n",
            "quality.scorer.cross_encoder.threshold", "expected a score in [0, 1], got \"high\""
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, max_chunks: 0}}\n",
            "quality.scorer.cross_encoder.max_chunks", "1…4096, got 0"
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, max_chunks: 2.5}}\n",
            "quality.scorer.cross_encoder.max_chunks", "an integer number of chunks"
        ),
        (
            "quality:\n  scorer: {cross_encoder: {directory: m, support_label: ''}}\n",
            "quality.scorer.cross_encoder.support_label", "label name or class index"
        ),
    ])
    func aBadSectionNamesTheKey(yaml: String, key: String, fragment: String) throws {
        do {
            var configuration = try PipelineConfiguration.parse(yaml: yaml, file: "bad.yaml")
            try configuration.applyEnvironment([:])
            try configuration.validate(file: "bad.yaml")
            Issue.record("expected an error for \(yaml)")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func theScorerIsTheReferenceOneUnlessACrossEncoderIsNamed() throws {
        typealias Scorer = PipelineConfiguration.QualitySettings.ScorerSettings
        #expect(try #require(try PipelineConfiguration.parse(yaml: "quality: {}\n").quality).scorer == .reference)
        #expect(
            try #require(try PipelineConfiguration.parse(yaml: "quality:\n  scorer: reference\n").quality).scorer
                == .reference)
        let yaml = """
            quality:
              scorer:
                cross_encoder:
                  directory: models/minicheck
                  support_label: supported
                  threshold: 0.7
                  max_chunks: 16
            """
        let quality = try #require(try PipelineConfiguration.parse(yaml: yaml).quality)
        let expected = Scorer.CrossEncoder(
            directory: "models/minicheck", supportLabel: "supported", threshold: 0.7, maxChunks: 16)
        #expect(quality.scorer == .crossEncoder(expected))
        let defaults = try #require(
            try PipelineConfiguration.parse(yaml: "quality:\n  scorer: {cross_encoder: {directory: m}}\n").quality)
        #expect(defaults.scorer == .crossEncoder(.init(directory: "m")))
        #expect(
            defaults.scorer == .crossEncoder(.init(directory: "m", supportLabel: nil, threshold: 0.5, maxChunks: 64)))
        // What is written reads back the same.
        for scorer in [Scorer.reference, .crossEncoder(expected)] {
            var settings = PipelineConfiguration.QualitySettings()
            settings.scorer = scorer
            let data = try JSONEncoder().encode(settings)
            #expect(try JSONDecoder().decode(PipelineConfiguration.QualitySettings.self, from: data) == settings)
        }
    }

    /// A model directory with `files` (empty but for config.json, whose labels are `labels`).
    static func modelDirectory(files: [String], labels: [String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftline-scorer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            var contents = Data()
            if file == "config.json" {
                let id2label = Dictionary(
                    uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
                contents = try JSONSerialization.data(
                    withJSONObject: [
                        "model_type": "bert", "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1,
                        "intermediate_size": 8, "vocab_size": 10, "max_position_embeddings": 16, "id2label": id2label,
                    ] as [String: Any])
            }
            try contents.write(to: directory.appendingPathComponent(file))
        }
        return directory
    }

    @Test func aCrossEncodersDirectoryIsCheckedAtStart() throws {
        typealias Scorer = PipelineConfiguration.QualitySettings.ScorerSettings
        try Scorer.reference.check()
        let complete = ["config.json", "model.safetensors", "vocab.txt"]
        let nli = ["contradiction", "neutral", "entailment"]
        let good = try Self.modelDirectory(files: complete, labels: nli)
        defer { try? FileManager.default.removeItem(at: good) }
        try Scorer.crossEncoder(.init(directory: good.path)).check()
        try Scorer.crossEncoder(.init(directory: good.path, supportLabel: "NEUTRAL")).check()
        func failure(_ scorer: Scorer) -> ConfigurationError? {
            do {
                try scorer.check()
                return nil
            } catch { return error as? ConfigurationError }
        }
        let key = "quality.scorer.cross_encoder"
        let missing = good.appendingPathComponent("absent").path
        let noDirectory = failure(.crossEncoder(.init(directory: missing)))
        #expect(noDirectory?.key == "\(key).directory")
        #expect(
            noDirectory?.message.contains("no config.json in \(missing)") == true, "\(String(describing: noDirectory))")
        for (file, message) in [
            ("config.json", "no config.json"), ("model.safetensors", "no model.safetensors"),
            ("vocab.txt", "no tokenizer.json or vocab.txt"),
        ] {
            let directory = try Self.modelDirectory(files: complete.filter { $0 != file }, labels: nli)
            defer { try? FileManager.default.removeItem(at: directory) }
            let error = failure(.crossEncoder(.init(directory: directory.path)))
            #expect(error?.key == "\(key).directory")
            #expect(error?.message.contains("\(message) in \(directory.path)") == true, "\(String(describing: error))")
            #expect(error?.description.contains("\n") == false)
        }
        let unnamed = try Self.modelDirectory(files: complete, labels: ["a", "b", "c"])
        defer { try? FileManager.default.removeItem(at: unnamed) }
        let unknown = failure(.crossEncoder(.init(directory: unnamed.path)))
        #expect(unknown?.key == "\(key).support_label")
        #expect(unknown?.message.contains("0: a, 1: b, 2: c") == true, "\(String(describing: unknown))")
        try Scorer.crossEncoder(.init(directory: unnamed.path, supportLabel: "b")).check()
        let wrong = failure(.crossEncoder(.init(directory: good.path, supportLabel: "supported")))
        #expect(wrong?.key == "\(key).support_label")
    }
}
