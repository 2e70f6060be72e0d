/// The last hidden states of a batch, packed: the rows of sequence `i` are
/// `offsets[i]..<offsets[i + 1]`, each `hiddenSize` wide.
public struct EncoderOutput: Sendable {
    public let hiddenSize: Int
    public let offsets: [Int]
    public let values: [Float]

    public var sequenceCount: Int { offsets.count - 1 }

    /// The hidden state of one token.
    public func state(sequence: Int, token: Int) -> ArraySlice<Float> {
        let row = offsets[sequence] + token
        return values[(row * hiddenSize)..<((row + 1) * hiddenSize)]
    }

    /// Mean of a sequence's token states: sentence-transformers' mean pooling, where the
    /// attention mask leaves exactly the sequence's own tokens.
    public func meanPooled(sequence: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: hiddenSize)
        let rows = offsets[sequence]..<offsets[sequence + 1]
        values.withUnsafeBufferPointer { buffer in
            for row in rows {
                let base = row * hiddenSize
                for i in 0..<hiddenSize { sum[i] += buffer[base + i] }
            }
        }
        let inverse = 1 / Float(rows.count)
        return sum.map { $0 * inverse }
    }
}
