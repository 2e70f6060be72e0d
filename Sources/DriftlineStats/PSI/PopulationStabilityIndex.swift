#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The population stability index between a reference and a current distribution over the same
/// bins: `PSI = Σ (p − q) · ln(p / q)`, p the reference share and q the current share of a bin
/// (Yurdakul, "Statistical Properties of Population Stability Index", 2018, eq. 1; the formula of
/// Evidently's `psi` stat test). It is the symmetrised Kullback–Leibler divergence, ≥ 0, and 0
/// only for equal shares.
///
/// The binnings, each in its own file:
/// - `quantile(reference:current:)` — bins at the reference deciles snapped to histogram buckets,
///   the default for numeric features stored as `ExponentialHistogram`s;
/// - `sturges(reference:current:)` — Evidently's numerical binning, on raw values or histograms;
/// - `categorical(reference:current:)` — one bin per category, Evidently's categorical binning.
///
/// All of them fill empty bins as Evidently 0.7.23 does (`emptyBinShare(for:)`), so that the
/// logarithm stays finite.
public enum PopulationStabilityIndex {
    /// `Σ (p − q) · ln(p / q)` over the bins, after `filled(_:)` on both sides. The two arrays are
    /// shares (or counts: only their proportions matter) of the same bins, in the same order.
    public static func value(referenceShares: [Double], currentShares: [Double]) -> Double {
        precondition(referenceShares.count == currentShares.count, "PSI needs the same bins on both sides")
        let p = filled(referenceShares)
        let q = filled(currentShares)
        var sum = 0.0
        for i in p.indices {
            sum += (p[i] - q[i]) * log(p[i] / q[i])
        }
        return sum
    }

    /// The share Evidently 0.7.23 gives an empty bin (`get_binned_data`, `feel_zeroes`): 1e-4,
    /// or the smallest non-zero share divided by 10⁶ when that smallest share is at most 1e-4 —
    /// so the filled bins never outweigh the rarest observed one. `nil` when no share is positive.
    public static func emptyBinShare(for shares: [Double]) -> Double? {
        guard let smallest = shares.filter({ $0 > 0 }).min() else { return nil }
        return smallest <= 0.0001 ? smallest / 1_000_000 : 0.0001
    }

    /// `shares` with every zero replaced by `emptyBinShare(for:)`; the others are kept as they are
    /// (not renormalised, as in Evidently).
    public static func filled(_ shares: [Double]) -> [Double] {
        guard let fill = emptyBinShare(for: shares) else { return shares }
        return shares.map { $0 == 0 ? fill : $0 }
    }

    /// The result over `bins`, whose shares are the unfilled ones.
    static func result(_ binning: PSIBinning, _ bins: [PSIResult.Bin]) -> PSIResult {
        let reference = filled(bins.map(\.referenceShare))
        let current = filled(bins.map(\.currentShare))
        var filledBins = bins
        for i in bins.indices {
            filledBins[i].referenceShare = reference[i]
            filledBins[i].currentShare = current[i]
        }
        return PSIResult(
            binning: binning, value: value(referenceShares: reference, currentShares: current), bins: filledBins)
    }
}
