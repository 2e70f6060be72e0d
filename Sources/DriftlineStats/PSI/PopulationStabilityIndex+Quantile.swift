extension PopulationStabilityIndex {
    /// The default binning of numeric features, computed from stored histograms without raw values:
    /// bin edges at the reference's `1/binCount … (binCount−1)/binCount` quantiles (deciles by
    /// default, the customary PSI binning — Yurdakul 2018, §2), each snapped up to the upper
    /// boundary of the histogram bucket that holds it, equal edges merged. Bins are
    /// `(−∞, e₁], (e₁, e₂], …, (eₘ, +∞)`.
    ///
    /// Because every edge is a bucket boundary (or 0, when a quantile falls in the zero bucket),
    /// each bucket lies in exactly one bin and the bin counts of both periods are exact: the PSI is
    /// the one raw values binned at the same edges give. The quantile is the order statistic
    /// `x₍ᵣ₎`, `r = max(1, ⌈q·n⌉)` (numpy's "inverted_cdf", as `ExponentialHistogram.quantile`).
    /// Evidently has no such binning; its `psi` bins numerical data with `sturges`.
    ///
    /// Histograms of different scales are compared at the coarser one. `nil` when either is empty
    /// or `binCount < 2`.
    public static func quantile(
        reference: ExponentialHistogram, current: ExponentialHistogram, binCount: Int = 10
    ) -> PSIResult? {
        guard !reference.isEmpty, !current.isEmpty, binCount >= 2 else { return nil }
        let scale = Swift.min(reference.scale, current.scale)
        var referenceAtScale = ExponentialHistogram(scale: scale)
        referenceAtScale.merge(reference)
        var currentAtScale = ExponentialHistogram(scale: scale)
        currentAtScale.merge(current)

        // An edge is the upper boundary of a bucket, kept as that boundary's index (bucket i ends
        // at boundary i + 1); `nil` stands for the edge 0, the top of the zero bucket.
        var edges: [Int?] = []
        for k in 1..<binCount {
            let q = Double(k) / Double(binCount)
            let rank = UInt64(Swift.max((q * Double(referenceAtScale.count)).rounded(.up), 1))
            let edge = referenceAtScale.bucketHolding(rank: rank).map { $0 + 1 }
            if edges.isEmpty || edges.last! != edge { edges.append(edge) }
        }

        func shares(_ histogram: ExponentialHistogram) -> [Double] {
            var counts = [UInt64](repeating: 0, count: edges.count + 1)
            counts[0] += histogram.zeroCount
            for bucket in histogram.buckets {
                // The first bin whose upper edge is at or above the bucket's upper boundary.
                let top = Int(bucket.index) + 1
                let j = edges.firstIndex { edge in edge.map { top <= $0 } ?? false } ?? edges.count
                counts[j] += bucket.count
            }
            return counts.map { Double($0) / Double(histogram.count) }
        }
        let boundaries =
            [-Double.infinity]
            + edges.map { $0.map { ExponentialHistogram.lowerBoundary(of: $0, scale: scale) } ?? 0 }
            + [Double.infinity]
        return result(.quantile, intervalBins(boundaries, shares(referenceAtScale), shares(currentAtScale)))
    }
}

extension ExponentialHistogram {
    /// The index of the bucket holding the `rank`-th smallest observation (1-based), nil when it
    /// is in the zero bucket. `rank` must be in `1...count`.
    func bucketHolding(rank: UInt64) -> Int? {
        var cumulative = zeroCount
        if cumulative >= rank { return nil }
        for (k, n) in counts.enumerated() where n != 0 {
            cumulative += n
            if cumulative >= rank { return offset + k }
        }
        preconditionFailure("rank \(rank) above the count \(count)")
    }
}
