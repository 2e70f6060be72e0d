public import DriftlineCore
public import DriftlineStats
public import DriftlineStore

/// Computes the PSI of every configured feature and grouping between a reference period and a
/// current period from the stored aggregates: histograms (`dl_windows`) for numeric features,
/// category counts (`dl_category_counts`) for categorical ones, and the scored samples' raw
/// scores for `faithfulness`. The scheduled evaluation and
/// `driftline drift report` both use it, so their numbers are the same.
public struct PSIEvaluator: Sendable {
    public var features: [String]
    public var groupBy: [Dimension]
    public var binning: PSIBinning
    public var binCount: Int
    public var thresholds: PSIThresholds

    /// The feature of the scored samples' faithfulness scores (`quality:`), compared on the raw
    /// scores of the base stratum (``AggregateStore/faithfulnessScores(groupBy:period:)``).
    public static let faithfulness = "faithfulness"

    public init(
        features: [String], groupBy: [Dimension], binning: PSIBinning = .quantile, binCount: Int = 10,
        thresholds: PSIThresholds = .default
    ) {
        self.features = features
        self.groupBy = groupBy
        self.binning = binning
        self.binCount = binCount
        self.thresholds = thresholds
    }

    /// The results of every feature and grouping present in both periods, by feature then grouping.
    public func evaluate(store: AggregateStore, reference: Range<Int64>, current: Range<Int64>) async throws
        -> [DriftResult]
    {
        var results: [DriftResult] = []
        let periods = (reference: reference, current: current)
        for feature in features {
            if feature == Self.faithfulness {
                results += compare(
                    feature, periods, try await store.faithfulnessScores(groupBy: groupBy, period: reference),
                    try await store.faithfulnessScores(groupBy: groupBy, period: current), count: { Int64($0.count) }
                ) {
                    binning == .sturges
                        ? PopulationStabilityIndex.sturges(reference: $0, current: $1)
                        : PopulationStabilityIndex.quantile(reference: $0, current: $1, binCount: binCount)
                }
            } else if let numeric = NumericDistribution(rawValue: feature) {
                results += compare(
                    feature, periods, try await store.histograms(numeric, groupBy: groupBy, period: reference),
                    try await store.histograms(numeric, groupBy: groupBy, period: current), count: { Int64($0.count) }
                ) {
                    binning == .sturges
                        ? PopulationStabilityIndex.sturges(reference: $0, current: $1)
                        : PopulationStabilityIndex.quantile(reference: $0, current: $1, binCount: binCount)
                }
            } else {
                results += compare(
                    feature, periods, try await store.categoryCounts(feature, groupBy: groupBy, period: reference),
                    try await store.categoryCounts(feature, groupBy: groupBy, period: current),
                    count: { $0.values.reduce(0, +) }
                ) { PopulationStabilityIndex.categorical(reference: $0, current: $1) }
            }
        }
        return results
    }

    /// The PSI of every grouping present in both periods' distributions, by grouping.
    private func compare<Distribution>(
        _ feature: String, _ periods: (reference: Range<Int64>, current: Range<Int64>),
        _ before: [String: Distribution], _ after: [String: Distribution], count: (Distribution) -> Int64,
        psi: (Distribution, Distribution) -> PSIResult?
    ) -> [DriftResult] {
        Set(before.keys).intersection(after.keys).sorted().compactMap { grouping in
            guard let a = before[grouping], let b = after[grouping], let computed = psi(a, b) else { return nil }
            return result(feature, grouping, computed, periods.reference, periods.current, count(a), count(b))
        }
    }

    private func result(
        _ feature: String, _ grouping: String, _ computed: PSIResult, _ reference: Range<Int64>,
        _ current: Range<Int64>, _ referenceCount: Int64, _ currentCount: Int64
    ) -> DriftResult {
        DriftResult(
            feature: feature, grouping: grouping, binning: computed.binning.rawValue, reference: reference,
            current: current, psi: computed.value, severity: computed.severity(thresholds).rawValue,
            referenceCount: referenceCount, currentCount: currentCount, binsJSON: Self.binsJSON(computed.bins))
    }

    /// `[{"lower": …, "upper": …, "reference": …, "current": …}, …]` or `{"category": …}` bins.
    static func binsJSON(_ bins: [PSIResult.Bin]) -> String {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        let items = bins.map { bin -> String in
            let range: String
            switch bin.range {
            case .interval(let lower, let upper): range = "\"lower\": \(number(lower)), \"upper\": \(number(upper))"
            case .category(let name): range = "\"category\": \(AggregateStore.jsonString(name))"
            }
            return "{\(range), \"reference\": \(bin.referenceShare), \"current\": \(bin.currentShare)}"
        }
        return "[" + items.joined(separator: ", ") + "]"
    }
}
