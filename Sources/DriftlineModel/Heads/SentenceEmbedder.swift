public import Foundation

/// Sentence embeddings as sentence-transformers computes them for models such as
/// all-MiniLM-L6-v2: the encoder's last hidden states, mean-pooled over the tokens, then scaled
/// to unit length (its `Pooling(mean)` and `Normalize` modules).
public struct SentenceEmbedder: Sendable {
    public let encoder: TransformerEncoder
    public let tokenizer: any Tokenizer
    /// Inputs are cut to this many tokens, special tokens included.
    public let maxLength: Int
    public let normalize: Bool

    public init(encoder: TransformerEncoder, tokenizer: any Tokenizer, maxLength: Int, normalize: Bool = true) {
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.maxLength = min(maxLength, encoder.maxSequenceLength)
        self.normalize = normalize
    }

    /// Loads a sentence-transformers directory: `max_seq_length` from `sentence_bert_config.json`
    /// (else the encoder's limit) and normalisation when `modules.json` lists a `Normalize` module
    /// (else on, as for the shipped model).
    public init(directory: URL) throws(ModelError) {
        let encoder = try TransformerEncoder(directory: directory)
        var maxLength = encoder.maxSequenceLength
        if let data = try? Data(contentsOf: directory.appendingPathComponent("sentence_bert_config.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let length = (object["max_seq_length"] as? NSNumber)?.intValue
        {
            maxLength = length
        }
        var normalize = true
        if let data = try? Data(contentsOf: directory.appendingPathComponent("modules.json")),
            let modules = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        {
            normalize = modules.contains { ($0["type"] as? String)?.hasSuffix("Normalize") == true }
        }
        self.init(
            encoder: encoder, tokenizer: try TokenizerLoader.load(directory: directory), maxLength: maxLength,
            normalize: normalize)
    }

    public var dimension: Int { encoder.configuration.hiddenSize }

    /// One embedding per text, computed `batchSize` texts per forward pass.
    public func embed(_ texts: [String], batchSize: Int = 32) throws(ModelError) -> [[Float]] {
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(texts.count, start + max(1, batchSize))
            let inputs = texts[start..<end].map { tokenizer.encode($0, pair: nil, maxLength: maxLength) }
            embeddings += try embed(inputs)
            start = end
        }
        return embeddings
    }

    /// Embeddings of already tokenised inputs, one forward pass.
    public func embed(_ inputs: [TokenizedInput]) throws(ModelError) -> [[Float]] {
        let output = try encoder.hiddenStates(inputs)
        return (0..<output.sequenceCount).map { sequence in
            let pooled = output.meanPooled(sequence: sequence)
            guard normalize else { return pooled }
            // torch.nn.functional.normalize: divide by max(‖x‖, 1e-12).
            let norm = max(pooled.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return pooled.map { $0 / norm }
        }
    }
}
