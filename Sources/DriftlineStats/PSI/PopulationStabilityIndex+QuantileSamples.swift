extension PopulationStabilityIndex {
    /// The quantile binning on raw samples, where no histogram is involved: bin edges at the
    /// reference's exact `1/binCount … (binCount−1)/binCount` quantiles, the order statistic `x₍ᵣ₎`
    /// with `r = max(1, ⌈q·n⌉)` (numpy's "inverted_cdf"), equal edges merged. Bins are
    /// `(−∞, e₁], (e₁, e₂], …, (eₘ, +∞)`, as in `quantile(reference:current:)` on histograms — which
    /// takes the same edges snapped up to bucket boundaries because it has no raw values; on raw
    /// samples nothing needs snapping.
    ///
    /// Used by `driftline drift psi` on exported samples. Non-finite values are left out. `nil` when
    /// either sample has no finite value or `binCount < 2`.
    public static func quantile(reference: [Double], current: [Double], binCount: Int = 10) -> PSIResult? {
        let sorted = reference.filter(\.isFinite).sorted()
        let current = current.filter(\.isFinite)
        guard !sorted.isEmpty, !current.isEmpty, binCount >= 2 else { return nil }
        var edges: [Double] = []
        for k in 1..<binCount {
            let q = Double(k) / Double(binCount)
            let rank = Swift.max(Int((q * Double(sorted.count)).rounded(.up)), 1)
            let edge = sorted[rank - 1]
            if edges.last != edge { edges.append(edge) }
        }
        func shares(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: edges.count + 1)
            for value in values {
                counts[edgesBelow(value, edges)] += 1
            }
            return counts.map { $0 / Double(values.count) }
        }
        let boundaries = [-Double.infinity] + edges + [Double.infinity]
        return result(.quantile, intervalBins(boundaries, shares(sorted), shares(current)))
    }

    /// The number of `edges` (ascending) strictly below `value`: the index of the bin `(eᵢ, eᵢ₊₁]`
    /// holding it.
    private static func edgesBelow(_ value: Double, _ edges: [Double]) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
