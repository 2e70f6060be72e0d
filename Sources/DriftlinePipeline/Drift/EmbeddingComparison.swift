public import DriftlineStats

/// How far the current sample of embeddings moved from the reference sample, by the pipeline's
/// measures: the centroid distances of `CentroidDistance` (over `EmbeddingSum`s, as the analyser
/// keeps them) and `MaximumMeanDiscrepancy` with its permutation p-value.
public struct EmbeddingComparison: Sendable {
    public let dimension: Int
    public let referenceCount: Int
    public let currentCount: Int
    /// `1 − cos` between the centroids; nil when a centroid is the zero vector.
    public let centroidCosineDistance: Double?
    public let centroidEuclideanDistance: Double
    public let mmd: MaximumMeanDiscrepancy
    public let pValue: Double
    public let permutations: Int
    public let seed: UInt64

    /// `reference` and `current` as `VectorLines` reads them; `referenceSource` and
    /// `currentSource` name them in errors.
    public init(
        reference: [[Double]], referenceSource: String, current: [[Double]], currentSource: String,
        permutations: Int = MaximumMeanDiscrepancy.defaultPermutations, seed: UInt64 = 0
    ) throws {
        guard let dimension = reference.first?.count else {
            throw DriftToolError(.badInput, "\(referenceSource): no vectors (every line is blank)")
        }
        guard let currentDimension = current.first?.count else {
            throw DriftToolError(.badInput, "\(currentSource): no vectors (every line is blank)")
        }
        guard currentDimension == dimension else {
            throw DriftToolError(
                .badInput,
                "\(currentSource): \(currentDimension)-dimensional vectors, but \(referenceSource) has \(dimension)")
        }
        guard permutations >= 1 else {
            throw DriftToolError(.badOption, "--permutations: expected at least 1, got \(permutations)")
        }
        var referenceSum = try EmbeddingSum(dimension: dimension)
        for vector in reference { try referenceSum.add(vector) }
        var currentSum = try EmbeddingSum(dimension: dimension)
        for vector in current { try currentSum.add(vector) }
        guard let centroids = CentroidDistance(reference: referenceSum, current: currentSum) else {
            throw DriftToolError(.badInput, "\(referenceSource), \(currentSource): the centroids have no distance")
        }
        do {
            mmd = try MaximumMeanDiscrepancy(reference: reference, current: current)
        } catch let error as MaximumMeanDiscrepancyError {
            throw DriftToolError(.badInput, "MMD of \(referenceSource) and \(currentSource): \(error.message)")
        }
        pValue = try mmd.permutationPValue(permutations: permutations, seed: seed)
        self.dimension = dimension
        referenceCount = reference.count
        currentCount = current.count
        centroidCosineDistance = centroids.cosineDistance
        centroidEuclideanDistance = centroids.euclideanDistance
        self.permutations = permutations
        self.seed = seed
    }
}
