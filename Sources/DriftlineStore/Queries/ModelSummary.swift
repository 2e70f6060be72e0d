import PostgresNIO

/// One model's figures over a time range, read with the SQL histogram functions — the same
/// query a dashboard or an analyst would write.
public struct ModelSummary: Sendable, Equatable {
    public var model: String
    public var provider: String
    public var requests: Int64
    public var errors: Int64
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var lateEvents: Int64
    public var ttftP50: Double?
    public var ttftP95: Double?
    public var ttftP99: Double?
    public var tpotP50: Double?
    public var tpotP95: Double?
    public var tpotP99: Double?
    public var latencyP99: Double?

    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
}

extension AggregateStore {
    public static let modelSummarySQL = """
        SELECT model, provider, sum(requests)::int8, sum(errors)::int8, sum(input_tokens)::int8,
               sum(output_tokens)::int8, sum(late_events)::int8,
               dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.50), dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.95),
               dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.99), dl_hist_quantile(dl_hist_merge_agg(tpot_ms), 0.50),
               dl_hist_quantile(dl_hist_merge_agg(tpot_ms), 0.95), dl_hist_quantile(dl_hist_merge_agg(tpot_ms), 0.99),
               dl_hist_quantile(dl_hist_merge_agg(latency_ms), 0.99)
        FROM dl_windows
        WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
        GROUP BY model, provider
        ORDER BY model, provider
        """

    /// Per model and provider, over windows starting in [from, to) (seconds since the epoch).
    public func modelSummaries(from: Int64 = 0, to: Int64 = Int64(Int32.max) * 2) async throws -> [ModelSummary] {
        var binds = PostgresBindings()
        binds.append(from)
        binds.append(to)
        let rows = try await client.query(PostgresQuery(unsafeSQL: Self.modelSummarySQL, binds: binds), logger: logger)
        var result: [ModelSummary] = []
        for try await row in rows.decode(
            (
                String, String, Int64, Int64, Int64, Int64, Int64, Double?, Double?, Double?, Double?, Double?, Double?,
                Double?
            ).self)
        {
            result.append(
                ModelSummary(
                    model: row.0, provider: row.1, requests: row.2, errors: row.3, inputTokens: row.4,
                    outputTokens: row.5, lateEvents: row.6, ttftP50: row.7, ttftP95: row.8, ttftP99: row.9,
                    tpotP50: row.10, tpotP95: row.11, tpotP99: row.12, latencyP99: row.13))
        }
        return result
    }

    /// Rows in the dead-letter table for a consumer group.
    public func deadLetterCount(group: String) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT count(*)::int8 FROM dl_dead_letters WHERE consumer_group = \(group)", logger: logger)
        for try await count in rows.decode(Int64.self) { return count }
        return 0
    }
}

extension AggregateStore {
    /// Requests and p99 TTFT of one model per window, oldest first.
    public func ttftTimeline(model: String) async throws -> [(windowStart: Int64, requests: Int64, p99: Double?)] {
        let rows = try await client.query(
            """
            SELECT extract(epoch FROM window_start)::int8, sum(requests)::int8,
                   dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.99)
            FROM dl_windows WHERE model = \(model) GROUP BY window_start ORDER BY window_start
            """, logger: logger)
        var result: [(Int64, Int64, Double?)] = []
        for try await row in rows.decode((Int64, Int64, Double?).self) { result.append(row) }
        return result
    }
}
