public import DriftlineCore
public import DriftlineStats
import PostgresNIO

/// The per-period distributions drift compares, merged in PostgreSQL from the per-window
/// aggregates, and the results written back.
extension AggregateStore {
    /// `feature`'s histogram per grouping over the windows starting in `[period)`, merged with
    /// `dl_hist_merge_agg`; the key is the grouping's values as a JSON object (`{}` without).
    public func histograms(_ feature: NumericDistribution, groupBy: [Dimension], period: Range<Int64>)
        async throws -> [String: ExponentialHistogram]
    {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.groupingJSON(groupBy))::text, dl_hist_merge_agg(\(feature.column))::text
                    FROM dl_windows
                    WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
                    GROUP BY 1
                    """,
                binds: Self.periodBinds(period)),
            logger: logger)
        var histograms: [String: ExponentialHistogram] = [:]
        for try await (grouping, literal) in rows.decode((String, String?).self) {
            guard let literal else { continue }
            histograms[grouping] = try ExponentialHistogram(postgresLiteral: literal)
        }
        return histograms
    }

    /// The counts of `feature`'s categories per grouping over the windows starting in `[period)`.
    public func categoryCounts(_ feature: String, groupBy: [Dimension], period: Range<Int64>) async throws
        -> [String: [String: Int64]]
    {
        var binds = Self.periodBinds(period)
        binds.append(feature)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.groupingJSON(groupBy))::text, category, sum(events)::int8
                    FROM dl_category_counts
                    WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2) AND feature = $3
                    GROUP BY 1, 2
                    """,
                binds: binds),
            logger: logger)
        var counts: [String: [String: Int64]] = [:]
        for try await (grouping, category, events) in rows.decode((String, String, Int64).self) {
            counts[grouping, default: [:]][category] = events
        }
        return counts
    }

    /// The faithfulness scores of the base-stratum samples per grouping, of the windows starting
    /// in `[period)`, ascending. Only the base stratum: it samples every eligible event at one
    /// rate, so its scores are an unbiased sample of the traffic's, where the boosted strata
    /// (feedback, finish reasons, new versions) would weigh their own kinds of responses more.
    public func faithfulnessScores(groupBy: [Dimension], period: Range<Int64>) async throws -> [String: [Double]] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.groupingJSON(groupBy))::text, array_agg(score ORDER BY score)
                    FROM dl_quality_samples
                    WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
                      AND stratum = 'base' AND verdict <> 'error' AND score IS NOT NULL
                    GROUP BY 1
                    """,
                binds: Self.periodBinds(period)),
            logger: logger)
        var scores: [String: [Double]] = [:]
        for try await (grouping, values) in rows.decode((String, [Double]).self) {
            scores[grouping] = values
        }
        return scores
    }

    /// Writes drift results; a result for the same feature, grouping, binning and periods
    /// (evaluated again, with late data) replaces the earlier one.
    public func insert(_ results: [DriftResult]) async throws {
        guard !results.isEmpty else { return }
        var binds = PostgresBindings(capacity: 14)
        binds.append(results.map(\.feature))
        binds.append(results.map(\.grouping))
        binds.append(results.map(\.binning))
        binds.append(results.map(\.reference.lowerBound))
        binds.append(results.map(\.reference.upperBound))
        binds.append(results.map(\.current.lowerBound))
        binds.append(results.map(\.current.upperBound))
        binds.append(results.map(\.psi))
        binds.append(results.map(\.severity))
        binds.append(results.map(\.referenceCount))
        binds.append(results.map(\.currentCount))
        binds.append(results.map(\.binsJSON))
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO dl_drift_results (feature, grouping, binning, reference_start, reference_end,
                                                  current_start, current_end, psi, severity, reference_count,
                                                  current_count, bins)
                    SELECT feature, grouping::jsonb, binning, to_timestamp(rs), to_timestamp(re), to_timestamp(cs),
                           to_timestamp(ce), psi, severity, rc, cc, bins::jsonb
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
                                $8::float8[], $9::text[], $10::int8[], $11::int8[], $12::text[])
                        AS t(feature, grouping, binning, rs, re, cs, ce, psi, severity, rc, cc, bins)
                    ON CONFLICT (feature, grouping, binning, current_start, current_end, reference_start, reference_end)
                    DO UPDATE SET psi = EXCLUDED.psi, severity = EXCLUDED.severity,
                                  reference_count = EXCLUDED.reference_count, current_count = EXCLUDED.current_count,
                                  bins = EXCLUDED.bins, evaluated_at = now()
                    """,
                binds: binds),
            logger: logger)
    }

    /// `jsonb_build_object('model', model, …)`, or `'{}'::jsonb` for no grouping. The columns
    /// come from `Dimension`, never from input.
    public static func groupingJSON(_ dimensions: [Dimension]) -> String {
        guard !dimensions.isEmpty else { return "'{}'::jsonb" }
        let pairs = Dimension.allCases.filter(dimensions.contains).map { "'\($0.rawValue)', \($0.column)" }
        return "jsonb_build_object(\(pairs.joined(separator: ", ")))"
    }

    private static func periodBinds(_ period: Range<Int64>) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 3)
        binds.append(period.lowerBound)
        binds.append(period.upperBound)
        return binds
    }
}
