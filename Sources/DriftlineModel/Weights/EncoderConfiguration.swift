public import Foundation

/// The fields of a Hugging Face `config.json` that a BERT- or RoBERTa-family encoder needs.
public struct EncoderConfiguration: Sendable, Hashable {
    /// The encoder families whose forward pass this target implements.
    public enum Family: String, Sendable, Hashable {
        /// BERT and models saved as BERT (MiniLM): absolute positions from 0, token type
        /// embeddings, pooler.
        case bert
        /// RoBERTa: positions offset by `padTokenId + 1`, no pooler in the classification model.
        case roberta
    }

    public var family: Family
    public var modelType: String
    public var architectures: [String]
    public var hiddenSize: Int
    public var numAttentionHeads: Int
    public var numHiddenLayers: Int
    public var intermediateSize: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var layerNormEps: Float
    public var padTokenId: Int
    /// Class index to label name, from `id2label`; `LABEL_i` when the file has none.
    public var labels: [String]

    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Reads `config.json` from a model directory.
    public init(directory: URL) throws(ModelError) {
        let url = directory.appendingPathComponent("config.json")
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError(.fileUnreadable, "cannot read config.json", path: url.path, underlying: error)
        }
        try self.init(json: data, path: url.path)
    }

    public init(json data: Data, path: String = "config.json") throws(ModelError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelError(.invalidConfiguration, "config.json is not a JSON object", path: path)
        }
        func int(_ key: String, default fallback: Int? = nil) throws(ModelError) -> Int {
            if let number = object[key] as? NSNumber { return number.intValue }
            if let fallback { return fallback }
            throw ModelError(.invalidConfiguration, "config.json lacks the integer '\(key)'", path: path)
        }
        modelType = object["model_type"] as? String ?? ""
        guard let family = Family(rawValue: modelType) else {
            throw ModelError(
                .invalidConfiguration, "model_type '\(modelType)' is not supported; supported: bert, roberta",
                path: path)
        }
        self.family = family
        architectures = object["architectures"] as? [String] ?? []
        hiddenSize = try int("hidden_size")
        numAttentionHeads = try int("num_attention_heads")
        numHiddenLayers = try int("num_hidden_layers")
        intermediateSize = try int("intermediate_size")
        vocabSize = try int("vocab_size")
        maxPositionEmbeddings = try int("max_position_embeddings")
        typeVocabSize = try int("type_vocab_size", default: 2)
        padTokenId = try int("pad_token_id", default: family == .roberta ? 1 : 0)
        layerNormEps = (object["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        let activation = object["hidden_act"] as? String ?? "gelu"
        // HF "gelu" is the exact erf form; the tanh approximations would need another kernel.
        guard activation == "gelu" else {
            throw ModelError(
                .invalidConfiguration, "hidden_act '\(activation)' is not supported; supported: gelu", path: path)
        }
        guard hiddenSize > 0, numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 else {
            throw ModelError(
                .invalidConfiguration,
                "hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(numAttentionHeads)",
                path: path)
        }
        let id2label = object["id2label"] as? [String: String] ?? [:]
        let count = (object["num_labels"] as? NSNumber)?.intValue ?? id2label.count
        labels = (0..<count).map { id2label[String($0)] ?? "LABEL_\($0)" }
    }
}
