import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlinePipeline

@Suite("Gateway topic formats")
struct GatewayConfigurationTests {
    @Test func eachTopicNamesItsFormat() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: """
                kafka:
                  topics:
                    - {name: llm.requests}
                    - {name: litellm.logs, format: litellm}
                    - {name: openai.completions, format: openai_chat}
                """)
        #expect(configuration.kafka.topics.map(\.format) == [.nativeJSON, .litellm, .openAIChat])
    }

    @Test func anUnknownFormatListsTheKnownOnes() throws {
        do {
            _ = try PipelineConfiguration.parse(yaml: "kafka:\n  topics: [{name: a, format: litelm}]\n", file: "p.yaml")
            Issue.record("expected an error")
        } catch let error as ConfigurationError {
            #expect(error.key == "kafka.topics[0].format")
            #expect(
                error.description.contains("expected one of native_json, otlp_proto, otlp_json, litellm, openai_chat"),
                "\(error)")
            #expect(error.description.contains("got litelm"), "\(error)")
        }
    }

    /// The shipped file documents every format, and its commented example topics parse.
    @Test func theDefaultFileDocumentsEveryFormat() throws {
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("pipelines/default.yaml"),
            encoding: .utf8)
        for format in RecordFormat.allCases {
            #expect(text.contains("#   \(format.rawValue) "), "pipelines/default.yaml documents \(format.rawValue)")
        }
        let uncommented = text.replacingOccurrences(of: "    # - name:", with: "    - name:")
            .replacingOccurrences(of: "    #   format:", with: "      format:")
        let configuration = try PipelineConfiguration.parse(yaml: uncommented)
        #expect(configuration.kafka.topics.map(\.format).contains(.litellm))
        #expect(configuration.kafka.topics.map(\.format).contains(.openAIChat))
    }
}
