import DriftlineCore
import Logging
import PostgresNIO

extension AggregateStore {
    /// Merges cost rows into `dl_costs` inside the flush transaction. Money travels as exact
    /// decimal text into `numeric`; a NULL cost (only unpriced events so far) stays NULL until
    /// a priced event adds to it.
    static func upsertCosts(_ costs: [WindowKey: CostAggregate], on connection: PostgresConnection, logger: Logger)
        async throws
    {
        guard !costs.isEmpty else { return }
        let rows = costs.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 13)
        binds.appendKeyColumns(rows.map(\.key))
        binds.append(rows.map(\.value.requests))
        binds.append(rows.map(\.value.unpricedRequests))
        binds.append(rows.map(\.value.inputTokens))
        binds.append(rows.map(\.value.outputTokens))
        binds.append(rows.map(\.value.cachedInputTokens))
        binds.append(rows.map(\.value.cacheWrite5mTokens))
        binds.append(rows.map(\.value.cacheWrite1hTokens))
        binds.append(rows.map(\.value.reasoningTokens))
        binds.append(rows.map(\.value.unpricedInputTokens))
        binds.append(rows.map(\.value.unpricedOutputTokens))
        binds.append(rows.map { $0.value.cost != nil })
        binds.append(rows.map { $0.value.cost?.decimalString ?? "0" })
        binds.append(rows.map(\.value.cacheSavings.decimalString))
        let sql = """
            INSERT INTO dl_costs AS c (
                \(WindowKeySQL.columns),
                requests, unpriced_requests, input_tokens, output_tokens,
                cached_input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens,
                unpriced_input_tokens, unpriced_output_tokens, cost_usd, cache_savings_usd)
            SELECT \(WindowKeySQL.selected),
                   requests, unpriced, input_tokens, output_tokens, cached, w5m, w1h,
                   reasoning, unpriced_in, unpriced_out, CASE WHEN has_cost THEN cost::numeric END, savings::numeric
            FROM unnest(\(WindowKeySQL.unnestArguments([
                "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8",
                "bool", "text", "text",
            ])))
                AS t(\(WindowKeySQL.aliases),
                     requests, unpriced, input_tokens, output_tokens, cached, w5m, w1h, reasoning,
                     unpriced_in, unpriced_out, has_cost, cost, savings)
            ON CONFLICT (\(WindowKeySQL.columns))
            DO UPDATE SET
                requests = dl_sat_add(c.requests, EXCLUDED.requests),
                unpriced_requests = dl_sat_add(c.unpriced_requests, EXCLUDED.unpriced_requests),
                input_tokens = dl_sat_add(c.input_tokens, EXCLUDED.input_tokens),
                output_tokens = dl_sat_add(c.output_tokens, EXCLUDED.output_tokens),
                cached_input_tokens = dl_sat_add(c.cached_input_tokens, EXCLUDED.cached_input_tokens),
                cache_write_5m_tokens = dl_sat_add(c.cache_write_5m_tokens, EXCLUDED.cache_write_5m_tokens),
                cache_write_1h_tokens = dl_sat_add(c.cache_write_1h_tokens, EXCLUDED.cache_write_1h_tokens),
                reasoning_tokens = dl_sat_add(c.reasoning_tokens, EXCLUDED.reasoning_tokens),
                unpriced_input_tokens = dl_sat_add(c.unpriced_input_tokens, EXCLUDED.unpriced_input_tokens),
                unpriced_output_tokens = dl_sat_add(c.unpriced_output_tokens, EXCLUDED.unpriced_output_tokens),
                cost_usd = CASE WHEN c.cost_usd IS NULL AND EXCLUDED.cost_usd IS NULL THEN NULL
                                ELSE coalesce(c.cost_usd, 0) + coalesce(EXCLUDED.cost_usd, 0) END,
                cache_savings_usd = c.cache_savings_usd + EXCLUDED.cache_savings_usd,
                updated_at = now()
            """
        try await query(connection, sql, binds, logger: logger)
    }
}
