#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The squared maximum mean discrepancy between a reference and a current sample of embeddings,
/// as Evidently 0.7.23's `MMDDriftMethod` scores embedding drift (without its bootstrap and PCA):
/// - kernel: Gaussian (RBF), `k(a, b) = exp(−‖a − b‖² / σ²)` — scikit-learn's `rbf` with
///   `gamma = 1 / σ²`, so there is no factor 2 in the denominator;
/// - bandwidth σ: the median reference–current distance (`MedianHeuristic`);
/// - estimator: the unbiased MMD²_u of Gretton et al., "A Kernel Two-Sample Test", JMLR 13, 2012,
///   eq. 3: the mean kernel within each sample over distinct pairs, minus twice the mean across;
/// - score: `max(MMD²_u, 0)`.
///
/// `permutationPValue(permutations:seed:)` adds the permutation test of the same paper (§8); it is
/// Driftline's, Evidently's method has none.
///
/// The kernel of all `N = m + n` vectors is computed once, in one pass over the pairs, and kept
/// (`N (N − 1) / 2` doubles: 16 MB for 2000 vectors) for the permutation test, so the samples must
/// be bounded — the pipeline feeds it reservoir samples.
public struct MaximumMeanDiscrepancy: Sendable {
    public let dimension: Int
    public let referenceCount: Int
    public let currentCount: Int
    /// The bandwidth σ, Evidently's median reference–current distance.
    public let medianDistance: Double
    /// MMD²_u; slightly negative when the two samples are as alike as two draws of one distribution.
    public let unbiasedEstimate: Double

    /// Evidently's score, `max(MMD²_u, 0)`.
    public var score: Double { Swift.max(unbiasedEstimate, 0) }

    /// `k(xᵢ, xⱼ)` for `i < j` over the reference vectors followed by the current ones, row by row:
    /// row `i` starts at `rowStart(i)`.
    let kernel: [Double]
    /// `Σ_{j ≠ i} k(xᵢ, xⱼ)` for each vector.
    let rowSums: [Double]
    /// `Σ_{i < j} k(xᵢ, xⱼ)` over all vectors.
    let total: Double

    /// Throws `MaximumMeanDiscrepancyError` when either sample has fewer than two vectors, a vector's
    /// dimension differs from the first reference vector's, an element is NaN or infinite, or the
    /// median distance is 0.
    public init(reference: [[Float]], current: [[Float]]) throws {
        try self.init(checking: reference, current)
    }

    /// As `init(reference:current:)` for `Float` vectors; the computation is in `Double` either way.
    public init(reference: [[Double]], current: [[Double]]) throws {
        try self.init(checking: reference, current)
    }

    private init<Element: BinaryFloatingPoint>(checking reference: [[Element]], _ current: [[Element]]) throws {
        guard reference.count >= 2, current.count >= 2 else {
            throw MaximumMeanDiscrepancyError(
                .tooFewVectors,
                "\(reference.count) reference and \(current.count) current vectors; the unbiased MMD needs"
                    + " at least 2 on each side")
        }
        let dimension = reference[0].count
        guard dimension >= 1 else {
            throw MaximumMeanDiscrepancyError(.dimensionMismatch, "reference vector 0 (0-based) has no element")
        }
        let x = try EmbeddingSample(reference, dimension: dimension, name: "reference")
        let y = try EmbeddingSample(current, dimension: dimension, name: "current")
        let median = MedianHeuristic.medianDistance(reference: x, current: y)
        guard median > 0 else {
            throw MaximumMeanDiscrepancyError(
                .degenerateBandwidth,
                "the median reference–current distance is 0 (most pairs are identical vectors), so the"
                    + " median heuristic gives no kernel bandwidth")
        }
        self.init(pooled: EmbeddingSample(concatenating: x, y), referenceCount: x.count, median: median)
    }

    private init(pooled: EmbeddingSample, referenceCount m: Int, median: Double) {
        let count = pooled.count
        let gamma = 1 / (median * median)
        var kernel = [Double](repeating: 0, count: count * (count - 1) / 2)
        var rowSums = [Double](repeating: 0, count: count)
        var withinReference = 0.0
        var withinCurrent = 0.0
        var across = 0.0
        var position = 0
        let width = pooled.dimension
        let norms = pooled.squaredNorms
        for i in 0..<count {
            // The row's pairs with reference vectors, then with current ones, each summed on its own.
            var toReference = 0.0
            var toCurrent = 0.0
            pooled.values.withUnsafeBufferPointer { values in
                let row = values.baseAddress! + i * width
                for j in (i + 1)..<Swift.max(i + 1, count) {
                    let dot = EmbeddingSample.dot(row, values.baseAddress! + j * width, width)
                    let squaredDistance = Swift.max(norms[i] + norms[j] - 2 * dot, 0)
                    let value = exp(-gamma * squaredDistance)
                    kernel[position] = value
                    position += 1
                    rowSums[j] += value
                    if j < m { toReference += value } else { toCurrent += value }
                }
            }
            rowSums[i] += toReference + toCurrent
            if i < m {
                withinReference += toReference
                across += toCurrent
            } else {
                withinCurrent += toCurrent
            }
        }
        dimension = pooled.dimension
        referenceCount = m
        currentCount = count - m
        medianDistance = median
        self.kernel = kernel
        self.rowSums = rowSums
        total = withinReference + withinCurrent + across
        unbiasedEstimate = Self.unbiased(
            withinReference: withinReference, withinCurrent: withinCurrent, across: across, m: m, n: count - m)
    }

    /// MMD²_u from sums over unordered pairs: `Σ_{i<j} k` within each sample and `Σ k` across.
    static func unbiased(withinReference: Double, withinCurrent: Double, across: Double, m: Int, n: Int) -> Double {
        let m = Double(m)
        let n = Double(n)
        return 2 * withinReference / (m * (m - 1)) + 2 * withinCurrent / (n * (n - 1)) - 2 * across / (m * n)
    }

    /// Where row `i` of the packed kernel starts: the rows above it hold `N − 1, N − 2, …` entries.
    func rowStart(_ i: Int) -> Int {
        let count = referenceCount + currentCount
        return i * (2 * count - i - 1) / 2
    }
}
