public import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// Computes embedding drift per grouping between a reference and a current period from the
/// stored per-window sums and samples: the centroid distances (`CentroidDistance`, Evidently's
/// `DistanceDriftMethod` on the merged sums), the cosine similarity of the current centroid with
/// the previous period's (the same length just before it), and Evidently's MMD score with its
/// permutation p-value (`MaximumMeanDiscrepancy`, the code `driftline drift embeddings` runs) on
/// the periods' bottom-k samples.
public struct EmbeddingDriftEvaluator: Sendable {
    public var groupBy: [Dimension]
    public var dimension: Int
    public var sampleSize: Int
    public var permutations: Int

    public init(groupBy: [Dimension], dimension: Int, sampleSize: Int, permutations: Int) {
        self.groupBy = groupBy
        self.dimension = dimension
        self.sampleSize = sampleSize
        self.permutations = permutations
    }

    public init(_ settings: PipelineConfiguration.EmbeddingSettings) {
        self.init(
            groupBy: settings.groupBy, dimension: settings.dimension, sampleSize: settings.sampleSize,
            permutations: settings.permutations)
    }

    /// The results of every grouping with vectors in both periods, by grouping.
    public func evaluate(store: AggregateStore, reference: Range<Int64>, current: Range<Int64>) async throws
        -> [EmbeddingDriftResult]
    {
        let before = try await store.embeddingSums(groupBy: groupBy, dimension: dimension, period: reference)
        let after = try await store.embeddingSums(groupBy: groupBy, dimension: dimension, period: current)
        let length = current.upperBound - current.lowerBound
        let previous = try await store.embeddingSums(
            groupBy: groupBy, dimension: dimension, period: (current.lowerBound - length)..<current.lowerBound)
        let groupings = Set(before.keys).intersection(after.keys).sorted()
        guard !groupings.isEmpty else { return [] }
        let referenceSamples = try await store.embeddingSamples(
            groupBy: groupBy, dimension: dimension, period: reference, size: sampleSize)
        let currentSamples = try await store.embeddingSamples(
            groupBy: groupBy, dimension: dimension, period: current, size: sampleSize)
        var results: [EmbeddingDriftResult] = []
        for grouping in groupings {
            let (a, b) = (before[grouping]!, after[grouping]!)
            guard let distance = CentroidDistance(reference: a, current: b) else { continue }
            let similarity = previous[grouping].flatMap { earlier -> Double? in
                guard let x = earlier.centroid, let y = b.centroid else { return nil }
                return CentroidDistance.cosineSimilarity(x, y)
            }
            let x = referenceSamples[grouping] ?? []
            let y = currentSamples[grouping] ?? []
            let (mmd, pValue) = Self.mmd(x, y, permutations: permutations)
            results.append(
                EmbeddingDriftResult(
                    grouping: grouping, dimension: dimension, reference: reference, current: current,
                    referenceCount: a.count, currentCount: b.count, cosineDistance: distance.cosineDistance,
                    euclideanDistance: distance.euclideanDistance, previousSimilarity: similarity,
                    mmd: mmd?.score, mmdBandwidth: mmd?.medianDistance, mmdPValue: pValue,
                    referenceSample: x.count, currentSample: y.count))
        }
        return results
    }

    /// nil when a sample has fewer than two vectors or no bandwidth (most pairs identical): the
    /// MMD is undefined there, and the centroid distances still stand.
    static func mmd(_ reference: [[Float]], _ current: [[Float]], permutations: Int)
        -> (MaximumMeanDiscrepancy?, Double?)
    {
        guard let mmd = try? MaximumMeanDiscrepancy(reference: reference, current: current) else { return (nil, nil) }
        guard permutations > 0 else { return (mmd, nil) }
        return (mmd, try? mmd.permutationPValue(permutations: permutations, seed: 0))
    }
}
