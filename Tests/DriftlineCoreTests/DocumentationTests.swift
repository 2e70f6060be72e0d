import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlineCore

/// The schema and the format page show records; they must be records the decoder accepts.
@Suite("Schema and documentation examples")
struct DocumentationTests {
    @Test func schemaIsJSONAndItsExamplesDecode() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/llm-request.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["required"] as? [String] == ["model", "start", "end"])
        let examples = try #require(schema["examples"] as? [Any])
        #expect(!examples.isEmpty)
        for example in examples {
            let record = try JSONSerialization.data(withJSONObject: example)
            let event = try NativeJSONDecoder().decode(Array(record))
            #expect(event.model == "gpt-4o")
            #expect(event.tokens.cachedInput == 1024)
        }
    }

    @Test func schemaDescribesEveryKeyTheDecoderReads() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/llm-request.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        for rawValue in UInt8(0)..<NativeJSONKey.unknown.rawValue {
            let key = try #require(NativeJSONKey(rawValue: rawValue))
            #expect(properties[key.name] != nil, "\(key.name) is missing from the schema")
        }
    }

    @Test func formatPageExamplesDecode() throws {
        let page = try String(
            contentsOf: repositoryRoot.appendingPathComponent("docs/request-log.md"), encoding: .utf8)
        // The request-log page holds the one JSON example.
        let blocks = page.components(separatedBy: "```json\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        #expect(blocks.count == 1)
        for block in blocks {
            let event = try NativeJSONDecoder().decode(block)
            #expect(event.model == "gpt-4o")
            #expect(event.ttftMilliseconds == 289)
        }
        let minimal = #"{"model":"gpt-4o","start":1795608000000,"end":1795608000850}"#
        #expect(page.contains(minimal))
        #expect(try NativeJSONDecoder().decode(minimal).latencyMilliseconds == 850)
    }
}
