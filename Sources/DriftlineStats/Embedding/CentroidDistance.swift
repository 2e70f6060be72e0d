/// How far the centroid of the current period's embeddings moved from the reference period's.
///
/// Both distances are those of Evidently 0.7.23's `DistanceDriftMethod` (the distance between the
/// column means of the two embedding sets, through SciPy's `euclidean` and `cosine`), computed
/// from mergeable `EmbeddingSum`s instead of the raw vectors.
public struct CentroidDistance: Sendable, Hashable {
    /// `1 − cos(reference, current)` in [0, 2]; nil when either centroid is the zero vector.
    public var cosineDistance: Double?
    /// `‖reference − current‖₂`.
    public var euclideanDistance: Double

    /// nil when either period is empty or their dimensions differ.
    public init?(reference: EmbeddingSum, current: EmbeddingSum) {
        guard reference.dimension == current.dimension, let a = reference.centroid, let b = current.centroid else {
            return nil
        }
        euclideanDistance = Self.euclideanDistance(a, b)
        cosineDistance = Self.cosineSimilarity(a, b).map { Swift.min(Swift.max(1 - $0, 0), 2) }
    }

    /// `a·b / sqrt(‖a‖² ‖b‖²)` as SciPy's `cosine` forms it; nil for a zero vector or different
    /// lengths. Also the similarity between consecutive periods' centroids.
    public static func cosineSimilarity(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count == b.count else { return nil }
        var dot = 0.0
        var aa = 0.0
        var bb = 0.0
        for i in a.indices {
            dot += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        guard aa > 0, bb > 0 else { return nil }
        return dot / (aa * bb).squareRoot()
    }

    /// `sqrt(Σ (aᵢ − bᵢ)²)`; `a` and `b` must have the same length.
    public static func euclideanDistance(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "euclidean distance of vectors of lengths \(a.count) and \(b.count)")
        var sum = 0.0
        for i in a.indices {
            let d = a[i] - b[i]
            sum += d * d
        }
        return sum.squareRoot()
    }
}
