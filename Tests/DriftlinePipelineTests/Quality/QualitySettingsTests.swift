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
}
