public import Foundation

/// A BERT- or RoBERTa-family transformer encoder on the CPU (Vaswani et al. 2017, section 3.1;
/// Devlin et al. 2019), numerically following Hugging Face's `BertModel`/`RobertaModel` in float32.
///
/// Sequences of a batch are packed one after another with no padding rows: the projections and
/// the feed-forward layers are single GEMMs over all tokens of the batch, and attention runs per
/// sequence and head over that sequence's own keys, which is what the attention mask achieves
/// in a padded batch (a masked key's weight is exactly zero after softmax in float32).
public final class TransformerEncoder: Sendable {
    public let configuration: EncoderConfiguration
    /// The tensor name prefix of the encoder (`bert.`, `roberta.` or none).
    public let prefix: String
    let embeddings: Embeddings
    let layers: [Layer]

    struct Embeddings {
        let word: WeightBuffer
        let position: WeightBuffer
        let tokenType: WeightBuffer
        let normGamma: WeightBuffer
        let normBeta: WeightBuffer
    }

    struct Layer {
        /// Query, key and value projections fused into one `[3H×H]` weight.
        let qkvWeight: WeightBuffer
        let qkvBias: WeightBuffer
        let attentionOutputWeight: WeightBuffer
        let attentionOutputBias: WeightBuffer
        let attentionNormGamma: WeightBuffer
        let attentionNormBeta: WeightBuffer
        let intermediateWeight: WeightBuffer
        let intermediateBias: WeightBuffer
        let outputWeight: WeightBuffer
        let outputBias: WeightBuffer
        let outputNormGamma: WeightBuffer
        let outputNormBeta: WeightBuffer
    }

    /// Loads the encoder weights of `weights` for `configuration`, checking every shape.
    public init(configuration: EncoderConfiguration, weights: SafetensorsFile) throws(ModelError) {
        self.configuration = configuration
        let candidates = ["", "bert.", "roberta.", "model."]
        guard let prefix = candidates.first(where: { weights.tensors["\($0)embeddings.word_embeddings.weight"] != nil })
        else {
            throw ModelError(
                .tensorMismatch, "no 'embeddings.word_embeddings.weight' under any of the prefixes \(candidates)",
                path: weights.path)
        }
        self.prefix = prefix
        let h = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        func norm(_ base: String) throws(ModelError) -> (WeightBuffer, WeightBuffer) {
            (
                try weights.buffer(weights.firstPresent("\(base).weight", "\(base).gamma"), shape: [h]),
                try weights.buffer(weights.firstPresent("\(base).bias", "\(base).beta"), shape: [h])
            )
        }
        let (embeddingGamma, embeddingBeta) = try norm("\(prefix)embeddings.LayerNorm")
        embeddings = Embeddings(
            word: try weights.buffer(
                "\(prefix)embeddings.word_embeddings.weight", shape: [configuration.vocabSize, h]),
            position: try weights.buffer(
                "\(prefix)embeddings.position_embeddings.weight", shape: [configuration.maxPositionEmbeddings, h]),
            tokenType: try weights.buffer(
                "\(prefix)embeddings.token_type_embeddings.weight", shape: [configuration.typeVocabSize, h]),
            normGamma: embeddingGamma, normBeta: embeddingBeta)
        var layers: [Layer] = []
        for index in 0..<configuration.numHiddenLayers {
            let base = "\(prefix)encoder.layer.\(index)."
            let attention = base + "attention."
            func matrix(_ name: String, _ rows: Int, _ columns: Int) throws(ModelError) -> [Float] {
                try weights.floats(name, shape: [rows, columns])
            }
            func vector(_ name: String, _ count: Int) throws(ModelError) -> [Float] {
                try weights.floats(name, shape: [count])
            }
            let (attentionGamma, attentionBeta) = try norm(attention + "output.LayerNorm")
            let (outputGamma, outputBeta) = try norm(base + "output.LayerNorm")
            layers.append(
                Layer(
                    qkvWeight: WeightBuffer(concatenating: [
                        try matrix(attention + "self.query.weight", h, h),
                        try matrix(attention + "self.key.weight", h, h),
                        try matrix(attention + "self.value.weight", h, h),
                    ]),
                    qkvBias: WeightBuffer(concatenating: [
                        try vector(attention + "self.query.bias", h), try vector(attention + "self.key.bias", h),
                        try vector(attention + "self.value.bias", h),
                    ]),
                    attentionOutputWeight: try weights.buffer(attention + "output.dense.weight", shape: [h, h]),
                    attentionOutputBias: try weights.buffer(attention + "output.dense.bias", shape: [h]),
                    attentionNormGamma: attentionGamma, attentionNormBeta: attentionBeta,
                    intermediateWeight: try weights.buffer(
                        base + "intermediate.dense.weight", shape: [intermediate, h]),
                    intermediateBias: try weights.buffer(base + "intermediate.dense.bias", shape: [intermediate]),
                    outputWeight: try weights.buffer(base + "output.dense.weight", shape: [h, intermediate]),
                    outputBias: try weights.buffer(base + "output.dense.bias", shape: [h]),
                    outputNormGamma: outputGamma, outputNormBeta: outputBeta))
        }
        self.layers = layers
    }

    /// Loads `config.json` and `model.safetensors` from a model directory.
    public convenience init(directory: URL) throws(ModelError) {
        let configuration = try EncoderConfiguration(directory: directory)
        try self.init(
            configuration: configuration,
            weights: SafetensorsFile(contentsOf: directory.appendingPathComponent("model.safetensors")))
    }

    /// The longest input this encoder takes (RoBERTa spends `padTokenId + 1` positions).
    public var maxSequenceLength: Int {
        configuration.maxPositionEmbeddings - (configuration.family == .roberta ? configuration.padTokenId + 1 : 0)
    }

    /// The last hidden states of every token of every sequence, or those after the first
    /// `layerCount` layers (an intermediate layer, as BERTScore picks one per model).
    public func hiddenStates(_ batch: [TokenizedInput], layerCount: Int? = nil) throws(ModelError) -> EncoderOutput {
        let h = configuration.hiddenSize
        let layerCount = layerCount ?? layers.count
        guard (0...layers.count).contains(layerCount) else {
            throw ModelError(.invalidInput, "layer count \(layerCount) outside 0...\(layers.count)")
        }
        var offsets: [Int] = [0]
        for (index, input) in batch.enumerated() {
            guard input.count > 0, input.count <= maxSequenceLength else {
                throw ModelError(
                    .invalidInput,
                    "sequence \(index) has \(input.count) tokens; this encoder takes 1...\(maxSequenceLength)")
            }
            for (id, type) in zip(input.ids, input.typeIds) {
                guard id >= 0, Int(id) < configuration.vocabSize, type >= 0, Int(type) < configuration.typeVocabSize
                else {
                    throw ModelError(
                        .invalidInput,
                        "sequence \(index) has token id \(id) or type id \(type) outside the vocabulary "
                            + "(\(configuration.vocabSize)) or type vocabulary (\(configuration.typeVocabSize))")
                }
            }
            offsets.append(offsets.last! + input.count)
        }
        let rows = offsets.last!
        var hidden = [Float](repeating: 0, count: rows * h)
        hidden.withUnsafeMutableBufferPointer { buffer in
            embed(batch, into: buffer.baseAddress!)
            let workspace = Workspace(rows: rows, configuration: configuration, longest: batch.map(\.count).max() ?? 0)
            defer { workspace.deallocate() }
            for layer in layers.prefix(layerCount) {
                run(layer, on: buffer.baseAddress!, offsets: offsets, workspace: workspace)
            }
        }
        return EncoderOutput(hiddenSize: h, offsets: offsets, values: hidden)
    }

    private func embed(_ batch: [TokenizedInput], into output: UnsafeMutablePointer<Float>) {
        let h = configuration.hiddenSize
        // RoBERTa numbers the positions of unpadded tokens from padding_idx + 1
        // (`create_position_ids_from_input_ids` in modeling_roberta.py).
        let firstPosition = configuration.family == .roberta ? configuration.padTokenId + 1 : 0
        var row = 0
        for input in batch {
            for (position, (id, type)) in zip(input.ids, input.typeIds).enumerated() {
                let destination = output + row * h
                destination.update(from: embeddings.word.readOnly + Int(id) * h, count: h)
                Kernels.add(embeddings.position.readOnly + (firstPosition + position) * h, into: destination, count: h)
                Kernels.add(embeddings.tokenType.readOnly + Int(type) * h, into: destination, count: h)
                row += 1
            }
        }
        Kernels.layerNorm(
            output, rows: row, width: h, gamma: embeddings.normGamma.readOnly, beta: embeddings.normBeta.readOnly,
            epsilon: configuration.layerNormEps)
    }

    /// Scratch space for one forward pass, sized for the whole packed batch.
    private struct Workspace {
        let qkv: UnsafeMutablePointer<Float>
        let context: UnsafeMutablePointer<Float>
        let attended: UnsafeMutablePointer<Float>
        let intermediate: UnsafeMutablePointer<Float>
        let scores: UnsafeMutablePointer<Float>

        init(rows: Int, configuration: EncoderConfiguration, longest: Int) {
            let h = configuration.hiddenSize
            qkv = .allocate(capacity: rows * 3 * h)
            context = .allocate(capacity: rows * h)
            attended = .allocate(capacity: rows * h)
            intermediate = .allocate(capacity: rows * configuration.intermediateSize)
            scores = .allocate(capacity: max(1, longest * longest))
        }

        func deallocate() {
            for pointer in [qkv, context, attended, intermediate, scores] { pointer.deallocate() }
        }
    }

    /// One post-LayerNorm encoder block (`BertLayer`): self-attention, residual + LayerNorm,
    /// GELU feed-forward, residual + LayerNorm. `hidden` is updated in place.
    private func run(
        _ layer: Layer, on hidden: UnsafeMutablePointer<Float>, offsets: [Int], workspace: Workspace
    ) {
        let h = configuration.hiddenSize
        let heads = configuration.numAttentionHeads
        let headSize = configuration.headSize
        let rows = offsets.last!
        let eps = configuration.layerNormEps
        Kernels.linear(
            hidden, rows: rows, inFeatures: h, weight: layer.qkvWeight.readOnly, bias: layer.qkvBias.readOnly,
            outFeatures: 3 * h, into: workspace.qkv)
        let scale = 1 / Float(headSize).squareRoot()
        for sequence in 0..<(offsets.count - 1) {
            let start = offsets[sequence]
            let length = offsets[sequence + 1] - start
            for head in 0..<heads {
                let query = workspace.qkv + start * 3 * h + head * headSize
                Kernels.attention(
                    query: query, key: query + h, value: query + 2 * h, stride: 3 * h, length: length,
                    headSize: headSize, scale: scale, scores: workspace.scores,
                    output: workspace.context + start * h + head * headSize, outputStride: h)
            }
        }
        Kernels.linear(
            workspace.context, rows: rows, inFeatures: h, weight: layer.attentionOutputWeight.readOnly,
            bias: layer.attentionOutputBias.readOnly, outFeatures: h, into: workspace.attended)
        Kernels.add(hidden, into: workspace.attended, count: rows * h)
        Kernels.layerNorm(
            workspace.attended, rows: rows, width: h, gamma: layer.attentionNormGamma.readOnly,
            beta: layer.attentionNormBeta.readOnly, epsilon: eps)
        Kernels.linear(
            workspace.attended, rows: rows, inFeatures: h, weight: layer.intermediateWeight.readOnly,
            bias: layer.intermediateBias.readOnly, outFeatures: configuration.intermediateSize,
            into: workspace.intermediate)
        Kernels.gelu(workspace.intermediate, count: rows * configuration.intermediateSize)
        Kernels.linear(
            workspace.intermediate, rows: rows, inFeatures: configuration.intermediateSize,
            weight: layer.outputWeight.readOnly, bias: layer.outputBias.readOnly, outFeatures: h, into: hidden)
        Kernels.add(workspace.attended, into: hidden, count: rows * h)
        Kernels.layerNorm(
            hidden, rows: rows, width: h, gamma: layer.outputNormGamma.readOnly, beta: layer.outputNormBeta.readOnly,
            epsilon: eps)
    }
}
