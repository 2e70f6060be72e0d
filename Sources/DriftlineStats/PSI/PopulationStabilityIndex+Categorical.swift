extension PopulationStabilityIndex {
    /// PSI over exact categories: one bin per category seen in either period, its share the
    /// category's count over the period's total, a category absent from one side filled as an empty
    /// bin. This is Evidently 0.7.23's categorical binning (`get_binned_data`: the union of the
    /// observed values of both series, then `feel_zeroes`). Bins are ordered by category name.
    ///
    /// Counts of zero or less are treated as absent. `nil` when either period has no count.
    public static func categorical(reference: [String: Int64], current: [String: Int64]) -> PSIResult? {
        let referenceTotal = reference.values.reduce(0.0) { $0 + Double(Swift.max($1, 0)) }
        let currentTotal = current.values.reduce(0.0) { $0 + Double(Swift.max($1, 0)) }
        guard referenceTotal > 0, currentTotal > 0 else { return nil }
        let categories = Set(reference.filter { $0.value > 0 }.keys)
            .union(current.filter { $0.value > 0 }.keys)
            .sorted()
        let bins = categories.map { category in
            PSIResult.Bin(
                range: .category(category),
                referenceShare: Double(Swift.max(reference[category] ?? 0, 0)) / referenceTotal,
                currentShare: Double(Swift.max(current[category] ?? 0, 0)) / currentTotal)
        }
        return result(.categorical, bins)
    }
}
