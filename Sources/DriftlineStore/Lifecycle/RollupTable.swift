/// A per-window table whose rows are additive, so that the one-minute rows of an hour and key
/// can be replaced by one row with `window_seconds = 3600` in the same table without changing
/// any sum, count or quantile read over whole hours.
///
/// The table must have `window_start timestamptz` and `window_seconds integer` followed by
/// `keyColumns` as its primary key, and every other column except `updated_at` listed in
/// `merged`. A table that is not additive (first appearances, detector state, alert state) is
/// never registered here.
public struct RollupTable: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public let name: String
        public let rule: MergeRule
        public init(_ name: String, _ rule: MergeRule) {
            self.name = name
            self.rule = rule
        }
    }

    public let name: String
    /// The primary key after `window_start, window_seconds`.
    public let keyColumns: [String]
    public let merged: [Column]

    public init(name: String, keyColumns: [String], merged: [Column]) {
        self.name = name
        self.keyColumns = keyColumns
        self.merged = merged
    }
}

extension RollupTable {
    /// The dimension columns and labels that `dl_windows`, `dl_costs`, `dl_category_counts` and
    /// `dl_threshold_counts` share after the window.
    public static let windowKey = [
        "model", "provider", "app", "route", "tenant", "user_id", "team", "environment", "model_version", "labels",
    ]

    private static func counters(_ names: String...) -> [Column] { names.map { Column($0, .counter) } }

    public static let windows = RollupTable(
        name: "dl_windows", keyColumns: windowKey,
        merged: counters(
            "requests", "errors", "late_events", "input_tokens", "output_tokens", "cached_input_tokens",
            "cache_write_tokens", "reasoning_tokens")
            + [Column("errors_by_type", .counts)]
            + ["ttft_ms", "tpot_ms", "latency_ms", "input_tokens_dist", "output_tokens_dist"].map {
                Column($0, .histogram)
            })

    public static let costs = RollupTable(
        name: "dl_costs", keyColumns: windowKey,
        merged: counters(
            "requests", "unpriced_requests", "input_tokens", "output_tokens", "cached_input_tokens",
            "cache_write_5m_tokens", "cache_write_1h_tokens", "reasoning_tokens", "unpriced_input_tokens",
            "unpriced_output_tokens")
            + [Column("cost_usd", .optionalAmount), Column("cache_savings_usd", .amount)])

    public static let spanCounts = RollupTable(
        name: "dl_span_counts", keyColumns: ["app", "environment", "operation"],
        merged: counters("spans", "errors"))

    public static let categoryCounts = RollupTable(
        name: "dl_category_counts", keyColumns: windowKey + ["feature", "category"], merged: counters("events"))

    public static let thresholdCounts = RollupTable(
        name: "dl_threshold_counts", keyColumns: windowKey + ["metric", "threshold_ms"],
        merged: counters("measured", "at_or_below"))

    /// Sampling counters per stratum and rate (the rate is in the key: counts at different rates
    /// never add into one row).
    public static let qualityCounts = RollupTable(
        name: "dl_quality_counts", keyColumns: windowKey + ["stratum", "rate"],
        merged: counters("events", "sampled", "shed_queue_full", "shed_no_scorer", "shed_too_long"))

    /// Every table the lifecycle rolls up. A new per-window table registers here (and gets the
    /// partial index of its sub-hour rows in its migration, as migration 13 gives these).
    public static let all: [RollupTable] = [
        windows, costs, spanCounts, categoryCounts, thresholdCounts, qualityCounts,
    ]

    /// Tables with a window column that the lifecycle does not merge: one row per scored sample
    /// (kept whole; the window columns let it join the counters), and the embedding sums and
    /// bottom-k samples, whose vector columns have no merge rule yet (their one-minute rows stay
    /// until a rule for element-wise sums and k-lowest merging is added; the `embeddings`
    /// retention bounds them), and the encoder's queue of texts.
    public static let notRolledUp: Set<String> = [
        "dl_quality_samples", "dl_embedding_windows", "dl_embedding_samples", "dl_embedding_texts",
    ]
}

extension RollupTable {
    /// The rows below an hour that fold into whole hours.
    static let subHourCondition = "window_seconds < 3600 AND 3600 % window_seconds = 0"

    /// Deletes the sub-hour rows starting in `[$1, $2)` (epoch seconds) and merges them into the
    /// hourly row of their hour and key, creating it or merging into one that an earlier run
    /// made (late rows). Returns the rows removed and the hourly rows written. One statement, so
    /// a concurrent run that deleted the same rows first makes this one find none.
    var rollupSQL: String {
        let keys = keyColumns.joined(separator: ", ")
        let columns = merged.map(\.name).joined(separator: ", ")
        let aggregates = merged.map { $0.rule.aggregate($0.name) }.joined(separator: ", ")
        let updates = (merged.map { "\($0.name) = \($0.rule.combine($0.name))" } + ["updated_at = now()"])
            .joined(separator: ", ")
        return """
            WITH moved AS (
                DELETE FROM \(name)
                WHERE \(Self.subHourCondition)
                  AND window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
                RETURNING *
            ), hourly AS (
                INSERT INTO \(name) AS c (window_start, window_seconds, \(keys), \(columns))
                SELECT date_bin('1 hour', window_start, TIMESTAMPTZ '1970-01-01 00:00:00+00'), 3600, \(keys),
                       \(aggregates)
                FROM moved
                GROUP BY 1, \(keys)
                ON CONFLICT (window_start, window_seconds, \(keys)) DO UPDATE SET \(updates)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM moved)::int8, (SELECT count(*) FROM hourly)::int8
            """
    }

    /// The earliest sub-hour row starting in `[$1, $2)`, as epoch seconds.
    var nextSubHourRowSQL: String {
        """
        SELECT extract(epoch FROM min(window_start))::int8 FROM \(name)
        WHERE \(Self.subHourCondition) AND window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
        """
    }
}
