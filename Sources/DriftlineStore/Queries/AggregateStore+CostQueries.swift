public import DriftlineCore
import PostgresNIO

extension AggregateStore {
    /// Replaces the GPU-hour prices with the catalogue's.
    public func syncGPUPrices(_ catalogue: PriceCatalogue) async throws {
        var providers: [String] = []
        var models: [String] = []
        var froms: [Int64] = []
        var prices: [String] = []
        var gpus: [Int32] = []
        for history in catalogue.histories {
            guard case .exact(let model) = history.model else { continue }
            for entry in history.entries {
                guard let gpu = entry.gpuHour else { continue }
                providers.append(history.provider)
                models.append(model)
                froms.append(entry.effectiveFrom.microsecondsSinceEpoch)
                prices.append(gpu.pricePerGPUHour.decimalString)
                gpus.append(Int32(clamping: gpu.gpus))
            }
        }
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM dl_gpu_prices", logger: logger)
            guard !providers.isEmpty else { return }
            var binds = PostgresBindings(capacity: 5)
            binds.append(providers)
            binds.append(models)
            binds.append(froms)
            binds.append(prices)
            binds.append(gpus)
            try await query(
                connection,
                """
                INSERT INTO dl_gpu_prices (provider, model, effective_from, price_per_gpu_hour, gpus)
                SELECT p, m, to_timestamp(f / 1000000.0), price::numeric, g
                FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int4[]) AS t(p, m, f, price, g)
                """, binds)
        }
    }

    /// Makes `dl_budgets` hold exactly these budgets; the state of a budget that stays is kept.
    public func syncBudgets(_ budgets: [StoredBudget]) async throws {
        try await client.withTransaction(logger: logger) { connection in
            var binds = PostgresBindings(capacity: 5)
            binds.append(budgets.map(\.name))
            binds.append(budgets.map(\.scope))
            binds.append(budgets.map(\.value))
            binds.append(budgets.map(\.period))
            binds.append(budgets.map(\.amountUSD.decimalString))
            try await query(
                connection, "DELETE FROM dl_budgets WHERE NOT (name = ANY($1::text[]))",
                {
                    var b = PostgresBindings(capacity: 1)
                    b.append(budgets.map(\.name))
                    return b
                }())
            try await query(
                connection,
                """
                INSERT INTO dl_budgets (name, scope, scope_value, period, amount_usd)
                SELECT n, s, v, p, a::numeric FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                    AS t(n, s, v, p, a)
                ON CONFLICT (name) DO UPDATE SET scope = EXCLUDED.scope, scope_value = EXCLUDED.scope_value,
                    period = EXCLUDED.period, amount_usd = EXCLUDED.amount_usd
                """, binds)
        }
    }

    /// Runs `dl_evaluate_budgets` at `at` (seconds since the epoch; nil: the database's now).
    @discardableResult
    public func evaluateBudgets(at: Int64? = nil) async throws -> [BudgetState] {
        let sql =
            at == nil
            ? "SELECT name, spent_usd::text, forecast_usd::text, state, forecast_exceeds FROM dl_evaluate_budgets()"
            : "SELECT name, spent_usd::text, forecast_usd::text, state, forecast_exceeds FROM dl_evaluate_budgets(to_timestamp($1))"
        var binds = PostgresBindings()
        if let at { binds.append(at) }
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var result: [BudgetState] = []
        for try await row in rows.decode((String, String, String, String, Bool).self) {
            result.append(
                BudgetState(name: row.0, spentUSD: row.1, forecastUSD: row.2, state: row.3, forecastExceeds: row.4))
        }
        return result
    }

    /// `dl_spend(dimension, from, to)`, times in seconds since the epoch.
    public func spend(by dimension: String, from: Int64, to: Int64) async throws -> [SpendRow] {
        var binds = PostgresBindings()
        binds.append(dimension)
        binds.append(from)
        binds.append(to)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT value, cost_usd::text, requests, priced_requests, unpriced_requests, unpriced_tokens,
                           round(cost_per_1k_requests, 12)::text, cache_savings_usd::text
                    FROM dl_spend($1, to_timestamp($2), to_timestamp($3))
                    """, binds: binds), logger: logger)
        var result: [SpendRow] = []
        for try await row in rows.decode(
            (String, String?, Int64, Int64, Int64, Int64, String?, String?).self)
        {
            result.append(
                SpendRow(
                    value: row.0, costUSD: row.1, requests: row.2, pricedRequests: row.3, unpricedRequests: row.4,
                    unpricedTokens: row.5, costPer1kRequests: row.6, cacheSavingsUSD: row.7))
        }
        return result
    }

    /// Models with unpriced requests in windows starting at or after `since` (seconds).
    public func unpricedModels(since: Int64) async throws -> [UnpricedModel] {
        let rows = try await client.query(
            """
            SELECT model, provider, sum(unpriced_requests)::int8, sum(unpriced_input_tokens)::int8,
                   sum(unpriced_output_tokens)::int8
            FROM dl_costs WHERE unpriced_requests > 0 AND window_start >= to_timestamp(\(since))
            GROUP BY model, provider ORDER BY 3 DESC, model
            """, logger: logger)
        var result: [UnpricedModel] = []
        for try await row in rows.decode((String, String, Int64, Int64, Int64).self) {
            result.append(
                UnpricedModel(model: row.0, provider: row.1, requests: row.2, inputTokens: row.3, outputTokens: row.4))
        }
        return result
    }
}
