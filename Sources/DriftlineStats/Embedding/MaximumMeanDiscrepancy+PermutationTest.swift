extension MaximumMeanDiscrepancy {
    /// The permutation count of `permutationPValue` when none is given: p-values down to 1/1001.
    public static let defaultPermutations = 1000

    /// The p-value of the permutation test (Gretton et al. 2012, §8): how often a random split of
    /// the pooled vectors into sets of the reference's and the current's sizes gives an MMD²_u at
    /// least as large as the observed one, counted as `(1 + hits) / (1 + permutations)` so that it is
    /// never 0 (Phipson & Smyth, "Permutation P-values Should Never Be Zero", SAGMB 9(1), 2010).
    ///
    /// The kernel and its bandwidth are those of the observed split, as in the paper: only the labels
    /// move. Reproducible from `seed`: `SplitMix64(seed:)` drives a partial Fisher–Yates shuffle that
    /// picks the smaller side's members (`SplitMix64.next(below:)` for each swap), the same draws on
    /// every platform and Swift release.
    ///
    /// Each permutation sums the kernel over the pairs within the smaller side only (`g (g − 1) / 2`
    /// terms); the other two sums follow from the precomputed row sums and total.
    public func permutationPValue(permutations: Int = defaultPermutations, seed: UInt64 = 0) throws -> Double {
        guard permutations >= 1 else {
            throw MaximumMeanDiscrepancyError(
                .invalidPermutationCount, "\(permutations) permutations, expected at least 1")
        }
        let count = referenceCount + currentCount
        let smallerIsReference = referenceCount <= currentCount
        let size = Swift.min(referenceCount, currentCount)
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<count)
        var isMember = [Bool](repeating: false, count: count)
        var members: [Int] = []
        members.reserveCapacity(size)
        var atLeastObserved = 0
        for _ in 0..<permutations {
            for i in 0..<size {
                order.swapAt(i, i + Int(rng.next(below: UInt64(count - i))))
                isMember[order[i]] = true
            }
            // Members in increasing order, so each one's kernel row is read front to back.
            members.removeAll(keepingCapacity: true)
            for i in 0..<count where isMember[i] {
                members.append(i)
                isMember[i] = false
            }
            let (within, rows) = kernel.withUnsafeBufferPointer { k in
                var within = 0.0
                var rows = 0.0
                for a in 0..<size {
                    let i = members[a]
                    rows += rowSums[i]
                    let base = rowStart(i) - i - 1
                    var sum = 0.0
                    for b in (a + 1)..<Swift.max(a + 1, size) { sum += k[base + members[b]] }
                    within += sum
                }
                return (within, rows)
            }
            // Row sums count each within pair twice and each cross pair once.
            let across = rows - 2 * within
            let otherWithin = total - within - across
            let statistic =
                smallerIsReference
                ? Self.unbiased(
                    withinReference: within, withinCurrent: otherWithin, across: across, m: referenceCount,
                    n: currentCount)
                : Self.unbiased(
                    withinReference: otherWithin, withinCurrent: within, across: across, m: referenceCount,
                    n: currentCount)
            if statistic >= unbiasedEstimate { atLeastObserved += 1 }
        }
        return Double(1 + atLeastObserved) / Double(1 + permutations)
    }
}
