import COpenBLAS

/// Greedy token alignment of BERTScore (Zhang et al. 2020, section 3): every response token is
/// matched to the context token with the highest cosine of their contextual states, and
/// sentences to sentences by the cosine of their mean-pooled states.
struct TokenAlignment {
    /// Each response token's best cosine against any context token.
    var bestTokenSimilarity: [Float]
    /// Each response sentence's best cosine against any context sentence, and that sentence.
    var bestSentenceSimilarity: [Float]
    var bestSentence: [Int]

    /// `response` and `context` are unit-length rows `[count×width]`; sentence vectors likewise.
    init(
        responseTokens: [Float], contextTokens: [Float], responseSentences: [Float], contextSentences: [Float],
        width: Int
    ) {
        bestTokenSimilarity = Self.rowMaxima(responseTokens, contextTokens, width: width).map(\.value)
        let sentences = Self.rowMaxima(responseSentences, contextSentences, width: width)
        bestSentenceSimilarity = sentences.map(\.value)
        bestSentence = sentences.map(\.index)
    }

    /// For each row of `a`, the largest dot product with a row of `b` and that row's index, from
    /// one GEMM `a·bᵀ`.
    static func rowMaxima(_ a: [Float], _ b: [Float], width: Int) -> [(value: Float, index: Int)] {
        let rows = a.count / width
        let columns = b.count / width
        guard rows > 0 else { return [] }
        guard columns > 0 else { return Array(repeating: (0, 0), count: rows) }
        var products = [Float](repeating: 0, count: rows * columns)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(columns), Int32(width), 1, a, Int32(width), b,
            Int32(width), 0, &products, Int32(columns))
        return (0..<rows).map { row in
            var best: Float = -.infinity
            var index = 0
            for column in 0..<columns where products[row * columns + column] > best {
                best = products[row * columns + column]
                index = column
            }
            return (best, index)
        }
    }

    /// Unit-length copy of `count` rows (a zero row stays zero).
    static func normalizedRows(_ values: [Float], width: Int) -> [Float] {
        var result = values
        for row in 0..<(values.count / width) {
            var sum: Float = 0
            for i in 0..<width { sum += values[row * width + i] * values[row * width + i] }
            let inverse = sum > 0 ? 1 / sum.squareRoot() : 0
            for i in 0..<width { result[row * width + i] *= inverse }
        }
        return result
    }
}
