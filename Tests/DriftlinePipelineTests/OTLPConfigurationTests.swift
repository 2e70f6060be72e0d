import DriftlineCore
import Testing

@testable import DriftlinePipeline

@Suite("Configuration: OTLP")
struct OTLPConfigurationTests {
    @Test func topicFormatsAndTheOTLPDefaultTopic() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: """
                kafka:
                  topics:
                    - name: otlp_spans
                    - name: spans.json
                      format: otlp_json
                    - name: other
                """)
        #expect(configuration.kafka.topics.map(\.format) == [.otlpProto, .otlpJSON, .nativeJSON])
    }

    @Test func customAttributeNamesReplaceTheDefaults() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: """
                otlp:
                  attributes:
                    tenant: [app.customer]
                    time_to_first_token: [my.ttft_seconds]
                  labels:
                    region: [cloud.region]
                  llm_operations: [chat]
                  first_token_events: [first]
                  input_tokens_exclude_cache: [Anthropic]
                """)
        try configuration.validate()
        let mapping = try configuration.otlp.mapping()
        #expect(mapping.tenant == ["app.customer"])
        #expect(mapping.timeToFirstTokenSeconds == ["my.ttft_seconds"])
        #expect(mapping.labels == ["conversation_id": ["gen_ai.conversation.id"], "region": ["cloud.region"]])
        #expect(mapping.llmOperations == ["chat"])
        #expect(mapping.firstTokenEvents == ["first"])
        #expect(mapping.inputTokensExcludeCache == ["anthropic"])
        #expect(mapping.user == GenAIMapping().user, "fields not listed keep their defaults")
    }

    @Test(arguments: [
        ("otlp:\n  attributes:\n    colour: [x]\n", "otlp.attributes.colour", "unknown field"),
        ("otlp:\n  labels:\n    operation: [x]\n", "otlp.labels.operation", "operation name"),
        ("otlp:\n  atributes: {}\n", "otlp.atributes", "unknown setting"),
        ("otlp:\n  attributes:\n    tenant: x\n", "otlp.attributes.tenant", "expected"),
    ])
    func badOTLPSettingsNameTheKey(yaml: String, key: String, fragment: String) throws {
        do {
            let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "bad.yaml")
            try configuration.validate(file: "bad.yaml")
            Issue.record("expected an error for \(yaml)")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}
