/// The kernel bandwidth of Evidently 0.7.23's `MMDDriftMethod`: the median euclidean distance
/// between reference and current vectors (the "median heuristic", Gretton et al., "A Kernel
/// Two-Sample Test", JMLR 13, 2012, §8), over at most 1000 vectors of each side.
///
/// Only cross pairs count, not pairs within one side, and the median is numpy's (the mean of the two
/// middle values of an even count). With more than 1000 vectors on a side Evidently uses the rows of
/// pandas' `sample(1000, random_state=0)`, which are `RandomState(0).permutation(count)[:1000]`;
/// `MT19937` draws the same rows, so the bandwidth — and the score — are Evidently's at any size.
enum MedianHeuristic {
    /// Evidently's cap on the vectors per side that the median is taken over.
    static let sampleLimit = 1000

    static func medianDistance(reference: EmbeddingSample, current: EmbeddingSample) -> Double {
        let referenceRows = rows(reference.count)
        let currentRows = rows(current.count)
        var distances: [Double] = []
        distances.reserveCapacity(referenceRows.count * currentRows.count)
        for i in referenceRows {
            for j in currentRows {
                distances.append(reference.squaredDistance(i, current, j).squareRoot())
            }
        }
        distances.sort()
        let middle = distances.count / 2
        return distances.count % 2 == 1 ? distances[middle] : (distances[middle - 1] + distances[middle]) / 2
    }

    /// The rows pandas' `sample(min(count, 1000), random_state=0)` takes; their order does not
    /// matter for a median, so below the cap it is simply all rows.
    static func rows(_ count: Int) -> [Int] {
        guard count > sampleLimit else { return Array(0..<count) }
        var generator = MT19937(seed: 0)
        return Array(generator.permutation(count).prefix(sampleLimit))
    }
}
