/// How far one grouping's embeddings moved between a reference and a current period
/// (`dl_embedding_drift`). Times are whole seconds since the epoch; periods are `[start, end)`.
public struct EmbeddingDriftResult: Sendable, Hashable {
    /// The grouping's dimension values as a JSON object, `{}` for all traffic.
    public var grouping: String
    public var dimension: Int
    public var reference: Range<Int64>
    public var current: Range<Int64>
    public var referenceCount: Int64
    public var currentCount: Int64
    /// `1 − cos` between the centroids; nil when either centroid is the zero vector.
    public var cosineDistance: Double?
    public var euclideanDistance: Double
    /// Cosine similarity between the current centroid and that of the period of the same length
    /// just before it; nil when that period has no vectors.
    public var previousSimilarity: Double?
    /// Evidently's MMD score on the periods' samples; nil when a sample has fewer than two
    /// vectors or the median distance is 0.
    public var mmd: Double?
    public var mmdBandwidth: Double?
    public var mmdPValue: Double?
    public var referenceSample: Int
    public var currentSample: Int

    public init(
        grouping: String, dimension: Int, reference: Range<Int64>, current: Range<Int64>, referenceCount: Int64,
        currentCount: Int64, cosineDistance: Double?, euclideanDistance: Double, previousSimilarity: Double?,
        mmd: Double?, mmdBandwidth: Double?, mmdPValue: Double?, referenceSample: Int, currentSample: Int
    ) {
        self.grouping = grouping
        self.dimension = dimension
        self.reference = reference
        self.current = current
        self.referenceCount = referenceCount
        self.currentCount = currentCount
        self.cosineDistance = cosineDistance
        self.euclideanDistance = euclideanDistance
        self.previousSimilarity = previousSimilarity
        self.mmd = mmd
        self.mmdBandwidth = mmdBandwidth
        self.mmdPValue = mmdPValue
        self.referenceSample = referenceSample
        self.currentSample = currentSample
    }
}
