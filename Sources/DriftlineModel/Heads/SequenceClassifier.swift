public import Foundation

/// A sequence-classification model (an NLI or fact-checking cross-encoder) over one text or a
/// pair: Hugging Face's `BertForSequenceClassification` (pooler `tanh(W·h[CLS] + b)`, then a
/// linear classifier) or `RobertaForSequenceClassification` (`RobertaClassificationHead`:
/// dense, tanh, `out_proj` on the `<s>` state).
public struct SequenceClassifier: Sendable {
    /// The scores of one input.
    public struct Prediction: Sendable, Hashable {
        public var logits: [Float]
        /// Softmax of the logits; the sigmoid for a single-logit model.
        public var probabilities: [Float]
        /// The label of the highest logit.
        public var label: String
    }

    public let encoder: TransformerEncoder
    public let tokenizer: any Tokenizer
    public let maxLength: Int
    /// Class index to name, from config.json `id2label`.
    public let labels: [String]
    let dense: WeightBuffer
    let denseBias: WeightBuffer
    let output: WeightBuffer
    let outputBias: WeightBuffer

    /// Loads config.json, model.safetensors and the tokenizer of a model directory.
    public init(directory: URL, maxLength: Int? = nil) throws(ModelError) {
        let configuration = try EncoderConfiguration(directory: directory)
        let weights = try SafetensorsFile(contentsOf: directory.appendingPathComponent("model.safetensors"))
        let encoder = try TransformerEncoder(configuration: configuration, weights: weights)
        let h = configuration.hiddenSize
        let classes = configuration.labels.count
        guard classes > 0 else {
            throw ModelError(
                .invalidConfiguration, "config.json names no labels (id2label, num_labels)", path: weights.path)
        }
        let (denseName, outputName) =
            configuration.family == .bert
            ? ("\(encoder.prefix)pooler.dense", "classifier") : ("classifier.dense", "classifier.out_proj")
        dense = try weights.buffer("\(denseName).weight", shape: [h, h])
        denseBias = try weights.buffer("\(denseName).bias", shape: [h])
        output = try weights.buffer("\(outputName).weight", shape: [classes, h])
        outputBias = try weights.buffer("\(outputName).bias", shape: [classes])
        self.encoder = encoder
        self.labels = configuration.labels
        self.tokenizer = try TokenizerLoader.load(directory: directory)
        self.maxLength = min(maxLength ?? encoder.maxSequenceLength, encoder.maxSequenceLength)
    }

    /// Scores `(text, pair)` inputs, `batchSize` per forward pass.
    public func classify(_ inputs: [(text: String, pair: String?)], batchSize: Int = 16) throws(ModelError)
        -> [Prediction]
    {
        var predictions: [Prediction] = []
        var start = 0
        while start < inputs.count {
            let end = min(inputs.count, start + max(1, batchSize))
            predictions += try classify(
                inputs[start..<end].map { tokenizer.encode($0.text, pair: $0.pair, maxLength: maxLength) })
            start = end
        }
        return predictions
    }

    /// Scores already tokenised inputs, one forward pass.
    public func classify(_ inputs: [TokenizedInput]) throws(ModelError) -> [Prediction] {
        let states = try encoder.hiddenStates(inputs)
        let h = encoder.configuration.hiddenSize
        let classes = labels.count
        let count = states.sequenceCount
        // The first token's state of each sequence, stacked for two small GEMMs.
        var first = [Float](repeating: 0, count: count * h)
        for sequence in 0..<count {
            let start = states.offsets[sequence] * h
            first.replaceSubrange((sequence * h)..<((sequence + 1) * h), with: states.values[start..<(start + h)])
        }
        var pooled = [Float](repeating: 0, count: count * h)
        var logits = [Float](repeating: 0, count: count * classes)
        first.withUnsafeBufferPointer { first in
            pooled.withUnsafeMutableBufferPointer { pooled in
                Kernels.linear(
                    first.baseAddress!, rows: count, inFeatures: h, weight: dense.readOnly, bias: denseBias.readOnly,
                    outFeatures: h, into: pooled.baseAddress!)
                for i in 0..<pooled.count { pooled[i] = tanhf(pooled[i]) }
                logits.withUnsafeMutableBufferPointer { logits in
                    Kernels.linear(
                        UnsafePointer(pooled.baseAddress!), rows: count, inFeatures: h, weight: output.readOnly,
                        bias: outputBias.readOnly, outFeatures: classes, into: logits.baseAddress!)
                }
            }
        }
        return (0..<count).map { sequence in
            let row = Array(logits[(sequence * classes)..<((sequence + 1) * classes)])
            let probabilities: [Float]
            if classes == 1 {
                probabilities = [1 / (1 + expf(-row[0]))]
            } else {
                let maximum = row.max()!
                let exps = row.map { expf($0 - maximum) }
                let sum = exps.reduce(0, +)
                probabilities = exps.map { $0 / sum }
            }
            let best = row.indices.max { row[$0] < row[$1] }!
            return Prediction(logits: row, probabilities: probabilities, label: labels[best])
        }
    }
}
