import Foundation

/// The tokenizer options of a model directory: `tokenizer.json` (its normalizer and model
/// sections) first, then `tokenizer_config.json`, then `special_tokens_map.json`.
struct TokenizerSettings {
    private var sources: [[String: Any]] = []
    /// The `model` section of `tokenizer.json` (type, vocab, merges), when the file exists.
    private(set) var tokenizerModel: [String: Any]?

    init(directory: URL) throws(ModelError) {
        let tokenizerJSON = try Self.object(directory.appendingPathComponent("tokenizer.json"))
        if let tokenizerJSON {
            if let normalizer = tokenizerJSON["normalizer"] as? [String: Any] { sources.append(normalizer) }
            if let preTokenizer = tokenizerJSON["pre_tokenizer"] as? [String: Any] { sources.append(preTokenizer) }
            if let model = tokenizerJSON["model"] as? [String: Any] {
                tokenizerModel = model
                sources.append(model.filter { $0.key != "vocab" && $0.key != "merges" })
            }
        }
        for name in ["tokenizer_config.json", "special_tokens_map.json"] {
            if let object = try Self.object(directory.appendingPathComponent(name)) { sources.append(object) }
        }
    }

    /// The first of `keys` found in the first source that has it.
    func bool(_ keys: String...) -> Bool? {
        for source in sources { for key in keys { if let value = source[key] as? Bool { return value } } }
        return nil
    }

    func int(_ key: String) -> Int? {
        for source in sources { if let value = source[key] as? NSNumber { return value.intValue } }
        return nil
    }

    /// A string, or the `content` of an added-token object (`{"content": "[UNK]", ...}`).
    func string(_ key: String) -> String? {
        for source in sources {
            if let value = source[key] as? String { return value }
            if let value = (source[key] as? [String: Any])?["content"] as? String { return value }
        }
        return nil
    }

    private static func object(_ url: URL) throws(ModelError) -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw ModelError(.invalidConfiguration, "not a readable JSON object", path: url.path) }
        return object
    }
}
