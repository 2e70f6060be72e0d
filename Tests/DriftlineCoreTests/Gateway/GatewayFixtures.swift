import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlineCore

/// The committed gateway fixtures (`Tests/Fixtures/Gateway/`, with the script that made them).
enum GatewayFixtures {
    static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/Gateway")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A fixture parsed by Foundation, the independent reader the tests compare against.
    static func object(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes(name))) as? [String: Any])
    }
}

/// Decodes with a LiteLLM decoder, returning the error instead of throwing.
func liteLLMResult(_ bytes: [UInt8], keepText: Bool = true) -> Result<LLMEvent, DecodeError> {
    Result { () throws(DecodeError) in try LiteLLMDecoder(keepText: keepText).decode(bytes) }
}

func liteLLMError(_ json: String) -> DecodeError? {
    if case .failure(let error) = liteLLMResult(Array(json.utf8)) { return error }
    return nil
}

func openAIChatResult(_ bytes: [UInt8], keepText: Bool = true) -> Result<LLMEvent, DecodeError> {
    Result { () throws(DecodeError) in try OpenAIChatDecoder(keepText: keepText).decode(bytes) }
}

func openAIChatError(_ json: String) -> DecodeError? {
    if case .failure(let error) = openAIChatResult(Array(json.utf8)) { return error }
    return nil
}

/// Whether `text` is JSON equal (as Foundation reads it) to the already-parsed `value`.
func jsonText(_ text: String?, equals value: Any?) -> Bool {
    guard let text, let value else { return text == nil && value == nil }
    guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
        return false
    }
    // Compared as Foundation objects, so key order and number spelling do not matter.
    guard let object = parsed as? NSObject else { return false }
    return object.isEqual(value)
}
