public import DriftlineStats

/// The PSI of two exported samples, as `driftline drift psi` computes it with the pipeline's
/// `PopulationStabilityIndex`:
/// - `quantile` (the default): bins at the reference's exact deciles
///   (`PopulationStabilityIndex.quantile(reference:current:)` on raw values — the pipeline's
///   histogram version snaps the same edges to bucket boundaries, which raw values do not need);
/// - `sturges`: Evidently's equal-width bins over both samples;
/// - `categorical`: every distinct line is a category.
public enum SamplePSI {
    public static func compute(
        reference: String, referenceSource: String, current: String, currentSource: String, binning: PSIBinning
    ) throws -> PSIResult {
        let result: PSIResult?
        switch binning {
        case .categorical:
            let referenceCounts = NumberLines.categoryCounts(in: reference)
            let currentCounts = NumberLines.categoryCounts(in: current)
            try requireValues(referenceCounts.isEmpty ? 0 : 1, referenceSource)
            try requireValues(currentCounts.isEmpty ? 0 : 1, currentSource)
            result = PopulationStabilityIndex.categorical(reference: referenceCounts, current: currentCounts)
        case .quantile, .sturges:
            let referenceValues = try NumberLines.numbers(in: reference, source: referenceSource)
            let currentValues = try NumberLines.numbers(in: current, source: currentSource)
            try requireValues(referenceValues.count, referenceSource)
            try requireValues(currentValues.count, currentSource)
            result =
                binning == .quantile
                ? PopulationStabilityIndex.quantile(reference: referenceValues, current: currentValues)
                : PopulationStabilityIndex.sturges(reference: referenceValues, current: currentValues)
        }
        guard let result else {
            throw DriftToolError(.badInput, "\(referenceSource), \(currentSource): no PSI for these samples")
        }
        return result
    }

    private static func requireValues(_ count: Int, _ source: String) throws {
        guard count > 0 else { throw DriftToolError(.badInput, "\(source): no values (every line is blank)") }
    }
}
