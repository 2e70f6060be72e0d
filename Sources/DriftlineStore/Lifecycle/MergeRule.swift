/// How a column of a per-window table merges when rows of the same key are combined: the
/// aggregate that merges many rows (the rollup's `GROUP BY`) and the expression that merges two
/// (the `ON CONFLICT` into an hourly row that already exists). Both are exact: the same rules
/// the flush writers use when two flushes meet in one window.
public struct MergeRule: Sendable, Hashable {
    /// `column` merged over a group, e.g. `dl_hist_merge_agg(ttft_ms)`.
    public let aggregate: @Sendable (String) -> String
    /// The stored row `c`'s `column` merged with `EXCLUDED`'s.
    public let combine: @Sendable (String) -> String
    /// A name for tests and messages.
    public let name: String

    public init(
        name: String, aggregate: @escaping @Sendable (String) -> String,
        combine: @escaping @Sendable (String) -> String
    ) {
        self.name = name
        self.aggregate = aggregate
        self.combine = combine
    }

    public static func == (lhs: MergeRule, rhs: MergeRule) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// A `bigint` counter: sums saturate at the bigint range like `dl_sat_add` (migration 5);
    /// `sum(bigint)` is `numeric`, so the group's sum itself cannot overflow.
    public static let counter = MergeRule(
        name: "counter",
        aggregate: { "GREATEST(LEAST(sum(\($0)), 9223372036854775807), -9223372036854775808)::bigint" },
        combine: { "dl_sat_add(c.\($0), EXCLUDED.\($0))" })

    /// A `dl_histogram`: the exact bucket-wise merge (`dl_hist_merge_agg`, `dl_hist_merge`).
    public static let histogram = MergeRule(
        name: "histogram", aggregate: { "dl_hist_merge_agg(\($0))" },
        combine: { "dl_hist_merge(c.\($0), EXCLUDED.\($0))" })

    /// A `{"key": count}` jsonb map (`dl_counts_sum_agg`, `dl_counts_add`).
    public static let counts = MergeRule(
        name: "counts", aggregate: { "dl_counts_sum_agg(\($0))" },
        combine: { "dl_counts_add(c.\($0), EXCLUDED.\($0))" })

    /// A `numeric NOT NULL` amount (money): exact sums.
    public static let amount = MergeRule(
        name: "amount", aggregate: { "sum(\($0))" }, combine: { "c.\($0) + EXCLUDED.\($0)" })

    /// A nullable `numeric` amount where NULL means "unknown" (an unpriced cost): the sum of the
    /// known ones, NULL only when all are unknown — as the cost writer merges two flushes.
    public static let optionalAmount = MergeRule(
        name: "optional amount", aggregate: { "sum(\($0))" },
        combine: {
            "CASE WHEN c.\($0) IS NULL AND EXCLUDED.\($0) IS NULL THEN NULL "
                + "ELSE coalesce(c.\($0), 0) + coalesce(EXCLUDED.\($0), 0) END"
        })
}
