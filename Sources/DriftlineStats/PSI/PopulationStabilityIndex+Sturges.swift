#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PopulationStabilityIndex {
    /// Evidently 0.7.23's binning of numerical features (`get_binned_data`, which calls
    /// `np.histogram_bin_edges(reference + current, bins="sturges")`): equal-width bins over
    /// `[min, max]` of both periods together, their number `k = ⌈(max − min) / h⌉` with
    /// `h = (max − min) / (log₂ n + 1)` (Sturges, "The Choice of a Class Interval", JASA 21, 1926;
    /// numpy's `_hist_bin_sturges`), `n` the number of values of both periods. The edges are
    /// numpy's `linspace`: `min + i · (max − min) / k`, the last one exactly `max`. When all values
    /// are equal there is one bin, `[v − 0.5, v + 0.5]`.
    public static func sturgesEdges(minimum: Double, maximum: Double, count: Int) -> [Double] {
        var first = minimum
        var last = maximum
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let width = (maximum - minimum) / (log2(Double(count)) + 1)
        let bins = width != 0 ? Int(((last - first) / width).rounded(.up)) : 1
        let step = (last - first) / Double(bins)
        var edges = (0..<bins).map { Double($0) * step + first }
        edges.append(last)
        return edges
    }

    /// PSI of two samples over `sturgesEdges`, bins `[eᵢ, eᵢ₊₁)` and a closed last bin, as
    /// `np.histogram` counts them; shares are counts over the sample sizes. This reproduces
    /// Evidently 0.7.23's `psi` for numerical data with more than 20 distinct reference values
    /// (below that Evidently switches to categories; use `categorical` for such data).
    ///
    /// Non-finite values are left out. `nil` when either sample has no finite value.
    public static func sturges(reference: [Double], current: [Double]) -> PSIResult? {
        let reference = reference.filter(\.isFinite)
        let current = current.filter(\.isFinite)
        guard let referenceLow = reference.min(), let referenceHigh = reference.max(),
            let currentLow = current.min(), let currentHigh = current.max()
        else { return nil }
        let low = Swift.min(referenceLow, currentLow)
        let high = Swift.max(referenceHigh, currentHigh)
        let edges = sturgesEdges(minimum: low, maximum: high, count: reference.count + current.count)
        func shares(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: edges.count - 1)
            for value in values {
                counts[bin(of: value, edges: edges)] += 1
            }
            return counts.map { $0 / Double(values.count) }
        }
        return result(.sturges, intervalBins(edges, shares(reference), shares(current)))
    }

    /// `sturges(reference:current:)` estimated from histograms: min, max and count are exact, and each
    /// bucket's count is spread over the bins in proportion to how much of the bucket (clamped to
    /// the histogram's `[min, max]`) each bin covers. Within a bucket values are taken as uniform,
    /// so the shares, and the PSI, are approximations of the raw-value ones (the tests hold them
    /// within 2 % on drifting data).
    ///
    /// `nil` when either histogram is empty.
    public static func sturges(reference: ExponentialHistogram, current: ExponentialHistogram) -> PSIResult? {
        guard !reference.isEmpty, !current.isEmpty else { return nil }
        let edges = sturgesEdges(
            minimum: Swift.min(reference.min, current.min), maximum: Swift.max(reference.max, current.max),
            count: Int(reference.count + current.count))
        func shares(_ histogram: ExponentialHistogram) -> [Double] {
            var counts = [Double](repeating: 0, count: edges.count - 1)
            counts[bin(of: 0, edges: edges)] += Double(histogram.zeroCount)
            for bucket in histogram.buckets {
                let low = Swift.max(
                    ExponentialHistogram.lowerBoundary(of: Int(bucket.index), scale: histogram.scale), histogram.min)
                let high = Swift.min(
                    ExponentialHistogram.lowerBoundary(of: Int(bucket.index) + 1, scale: histogram.scale),
                    histogram.max)
                let count = Double(bucket.count)
                guard high > low else {
                    counts[bin(of: high, edges: edges)] += count
                    continue
                }
                var j = bin(of: low, edges: edges)
                while j < counts.count && edges[j] < high {
                    let overlap = Swift.min(high, edges[j + 1]) - Swift.max(low, edges[j])
                    if overlap > 0 { counts[j] += count * overlap / (high - low) }
                    j += 1
                }
            }
            return counts.map { $0 / Double(histogram.count) }
        }
        return result(.sturges, intervalBins(edges, shares(reference), shares(current)))
    }

    /// The bin `[eᵢ, eᵢ₊₁)` holding `value`, the last bin closed; values outside go to the end bins.
    static func bin(of value: Double, edges: [Double]) -> Int {
        // The number of inner edges at or below `value`.
        var low = 1
        var high = edges.count - 1
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    static func intervalBins(_ edges: [Double], _ reference: [Double], _ current: [Double]) -> [PSIResult.Bin] {
        reference.indices.map { i in
            PSIResult.Bin(
                range: .interval(lower: edges[i], upper: edges[i + 1]), referenceShare: reference[i],
                currentShare: current[i])
        }
    }
}
