/// Cost attribution, GPU-hour prices, budgets and the spend queries (migration 3).
///
/// Money is `numeric` throughout: costs arrive as exact decimals and sums stay exact.
enum CostSchemaSQL {
    static let statements: [String] = [
        // One row per window and cost-attribution key; dimensions not configured for cost
        // attribution hold '' (meaning "all"). cost_usd is NULL while the row holds only
        // unpriced events: unknown spend is never shown as 0.
        """
        CREATE TABLE IF NOT EXISTS dl_costs (
            window_start           timestamptz NOT NULL,
            window_seconds         integer     NOT NULL,
            model                  text        NOT NULL,
            provider               text        NOT NULL,
            app                    text        NOT NULL,
            route                  text        NOT NULL,
            tenant                 text        NOT NULL,
            user_id                text        NOT NULL,
            team                   text        NOT NULL,
            environment            text        NOT NULL,
            model_version          text        NOT NULL,
            labels                 jsonb       NOT NULL DEFAULT '{}',
            requests               bigint      NOT NULL,
            unpriced_requests      bigint      NOT NULL,
            input_tokens           bigint      NOT NULL,
            output_tokens          bigint      NOT NULL,
            cached_input_tokens    bigint      NOT NULL,
            cache_write_5m_tokens  bigint      NOT NULL,
            cache_write_1h_tokens  bigint      NOT NULL,
            reasoning_tokens       bigint      NOT NULL,
            unpriced_input_tokens  bigint      NOT NULL,
            unpriced_output_tokens bigint      NOT NULL,
            cost_usd               numeric,
            cache_savings_usd      numeric     NOT NULL DEFAULT 0,
            updated_at             timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_costs_time ON dl_costs (window_start)",
        "CREATE INDEX IF NOT EXISTS dl_costs_deployment ON dl_costs (model, provider, window_start)",
        // Self-hosted deployments billed per GPU-hour, copied from the price catalogue by
        // `driftline run` at start.
        """
        CREATE TABLE IF NOT EXISTS dl_gpu_prices (
            provider           text        NOT NULL,
            model              text        NOT NULL,
            effective_from     timestamptz NOT NULL,
            price_per_gpu_hour numeric     NOT NULL,
            gpus               integer     NOT NULL,
            PRIMARY KEY (provider, model, effective_from)
        )
        """,
        // Cost rows with the GPU-hour cost of self-hosted deployments spread in. A window of a
        // deployment costs price × gpus × window_seconds / 3600 (only windows with traffic are
        // charged; idle hours are not attributed to anyone), shared between the window's rows of
        // that model and provider in proportion to their input + output tokens, or to their
        // requests when the window saw no tokens. Done here rather than at ingest because
        // several consumers write rows of the same window.
        """
        CREATE OR REPLACE VIEW dl_cost_windows AS
        WITH deployment_totals AS (
            SELECT window_start, window_seconds, model, provider,
                   sum(input_tokens + output_tokens) AS tokens, sum(requests) AS requests
            FROM dl_costs GROUP BY window_start, window_seconds, model, provider
        )
        SELECT c.window_start, c.window_seconds, c.model, c.provider, c.app, c.route, c.tenant, c.user_id, c.team,
               c.environment, c.model_version, c.labels, c.requests, c.unpriced_requests,
               c.requests - c.unpriced_requests AS priced_requests, c.input_tokens, c.output_tokens,
               c.cached_input_tokens, c.cache_write_5m_tokens, c.cache_write_1h_tokens, c.reasoning_tokens,
               c.unpriced_input_tokens, c.unpriced_output_tokens, c.cache_savings_usd,
               c.cost_usd AS token_cost_usd,
               g.gpu_cost_usd,
               CASE WHEN g.gpu_cost_usd IS NULL THEN c.cost_usd
                    ELSE coalesce(c.cost_usd, 0) + g.gpu_cost_usd END AS cost_usd
        FROM dl_costs c
        LEFT JOIN LATERAL (
            SELECT p.price_per_gpu_hour * p.gpus * c.window_seconds / 3600
                   * CASE WHEN t.tokens > 0 THEN (c.input_tokens + c.output_tokens)::numeric / t.tokens
                          ELSE c.requests::numeric / nullif(t.requests, 0) END AS gpu_cost_usd
            FROM dl_gpu_prices p
            JOIN deployment_totals t ON t.window_start = c.window_start AND t.window_seconds = c.window_seconds
                                    AND t.model = c.model AND t.provider = c.provider
            WHERE p.provider = c.provider AND p.model = c.model AND p.effective_from <= c.window_start
            ORDER BY p.effective_from DESC
            LIMIT 1
        ) g ON true
        """,
        // Spend by one dimension over [from, to): the cost (NULL when nothing was priced),
        // requests, unpriced requests and tokens, cost per 1 000 priced requests and what
        // cached reads saved. `dimension` is model, provider, app, route, tenant, user, team,
        // environment, model_version or label:KEY.
        """
        CREATE OR REPLACE FUNCTION dl_spend(dimension text, from_time timestamptz, to_time timestamptz)
        RETURNS TABLE (value text, cost_usd numeric, requests bigint, priced_requests bigint,
                       unpriced_requests bigint, unpriced_tokens bigint, cost_per_1k_requests numeric,
                       cache_savings_usd numeric)
        LANGUAGE plpgsql STABLE AS $$
        DECLARE
            expression text;
        BEGIN
            IF dimension LIKE 'label:%' THEN
                expression := format('coalesce(labels ->> %L, %L)', substr(dimension, 7), '');
            ELSE
                expression := CASE dimension
                    WHEN 'model' THEN 'model' WHEN 'provider' THEN 'provider' WHEN 'app' THEN 'app'
                    WHEN 'route' THEN 'route' WHEN 'tenant' THEN 'tenant' WHEN 'user' THEN 'user_id'
                    WHEN 'team' THEN 'team' WHEN 'environment' THEN 'environment'
                    WHEN 'model_version' THEN 'model_version' END;
            END IF;
            IF expression IS NULL THEN
                RAISE EXCEPTION 'dl_spend: unknown dimension %; expected model, provider, app, route, tenant, user, team, environment, model_version or label:KEY', dimension;
            END IF;
            RETURN QUERY EXECUTE format($q$
                SELECT %s AS value, sum(cost_usd), sum(requests)::bigint, sum(priced_requests)::bigint,
                       sum(unpriced_requests)::bigint,
                       sum(unpriced_input_tokens + unpriced_output_tokens)::bigint,
                       sum(cost_usd) * 1000 / nullif(sum(priced_requests), 0),
                       sum(cache_savings_usd)
                FROM dl_cost_windows
                WHERE window_start >= $1 AND window_start < $2
                GROUP BY 1
                ORDER BY sum(cost_usd) DESC NULLS LAST, 1
            $q$, expression) USING from_time, to_time;
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION dl_top_spenders(dimension text, from_time timestamptz, to_time timestamptz,
                                                   n integer DEFAULT 10)
        RETURNS TABLE (value text, cost_usd numeric, requests bigint, share numeric)
        LANGUAGE sql STABLE AS $$
            SELECT s.value, s.cost_usd, s.requests,
                   s.cost_usd / nullif(sum(s.cost_usd) OVER (), 0)
            FROM dl_spend(dimension, from_time, to_time) s
            WHERE s.cost_usd IS NOT NULL
            ORDER BY s.cost_usd DESC, s.value
            LIMIT n
        $$
        """,
        // Month-end forecast (multiplying before dividing keeps whole ratios exact): spend so far this (UTC) month plus the average daily burn of the
        // `lookback` before `at`, times the days left in the month.
        """
        CREATE OR REPLACE FUNCTION dl_spend_forecast(dimension text, at timestamptz DEFAULT now(),
                                                     lookback interval DEFAULT interval '7 days')
        RETURNS TABLE (value text, month_to_date_usd numeric, daily_burn_usd numeric, forecast_usd numeric)
        LANGUAGE sql STABLE AS $$
            WITH bounds AS (
                SELECT date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month_start,
                       (date_trunc('month', at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC' AS month_end
            ), mtd AS (
                SELECT s.value, s.cost_usd FROM bounds, dl_spend(dimension, bounds.month_start, at) s
            ), recent AS (
                SELECT s.value, s.cost_usd FROM dl_spend(dimension, at - lookback, at) s
            )
            SELECT coalesce(m.value, r.value), coalesce(m.cost_usd, 0),
                   coalesce(r.cost_usd, 0) * 86400 / extract(epoch FROM lookback)::numeric,
                   coalesce(m.cost_usd, 0) + coalesce(r.cost_usd, 0)
                       * extract(epoch FROM (SELECT month_end FROM bounds) - at)::numeric
                       / extract(epoch FROM lookback)::numeric
            FROM mtd m FULL JOIN recent r ON r.value = m.value
            ORDER BY 4 DESC
        $$
        """,
        // Models seen without a price, per UTC day: what `driftline prices check` reports.
        """
        CREATE OR REPLACE VIEW dl_unpriced_models AS
        SELECT date_trunc('day', window_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, model, provider,
               sum(unpriced_requests)::bigint AS unpriced_requests,
               sum(unpriced_input_tokens)::bigint AS unpriced_input_tokens,
               sum(unpriced_output_tokens)::bigint AS unpriced_output_tokens
        FROM dl_costs
        WHERE unpriced_requests > 0
        GROUP BY 1, 2, 3
        """,
        // Budgets from the pipeline configuration (`costs.budgets`), replaced at each start.
        """
        CREATE TABLE IF NOT EXISTS dl_budgets (
            name        text PRIMARY KEY,
            scope       text    NOT NULL CHECK (scope IN ('team', 'tenant', 'app')),
            scope_value text    NOT NULL,
            period      text    NOT NULL CHECK (period IN ('daily', 'monthly')),
            amount_usd  numeric NOT NULL CHECK (amount_usd > 0)
        )
        """,
        // The latest evaluation of each budget, for an alert engine to read: `state` is the
        // highest threshold consumed (ok, 50, 80, 100) and `forecast_exceeds` whether the
        // period-end forecast from the recent burn crosses the amount. `state_since` changes
        // only when the state does.
        """
        CREATE TABLE IF NOT EXISTS dl_budget_state (
            name             text PRIMARY KEY REFERENCES dl_budgets (name) ON DELETE CASCADE,
            period_start     timestamptz NOT NULL,
            period_end       timestamptz NOT NULL,
            spent_usd        numeric     NOT NULL,
            forecast_usd     numeric     NOT NULL,
            consumed         numeric     NOT NULL,
            state            text        NOT NULL CHECK (state IN ('ok', '50', '80', '100')),
            forecast_exceeds boolean     NOT NULL,
            state_since      timestamptz NOT NULL,
            evaluated_at     timestamptz NOT NULL
        )
        """,
        // Evaluates every budget at `at`: spend of the current UTC day or month so far, and a
        // forecast of spend + burn × time left, the burn measured over the last 3 hours (daily
        // budgets) or 7 days (monthly), or the period so far when it is shorter.
        """
        CREATE OR REPLACE FUNCTION dl_evaluate_budgets(at timestamptz DEFAULT now())
        RETURNS SETOF dl_budget_state
        LANGUAGE plpgsql AS $$
        DECLARE
            b dl_budgets;
            p_start timestamptz;
            p_end timestamptz;
            window_len interval;
            burn_from timestamptz;
            spent numeric;
            recent numeric;
            forecast numeric;
            ratio numeric;
            new_state text;
            column_name text;
        BEGIN
            FOR b IN SELECT * FROM dl_budgets ORDER BY name LOOP
                IF b.period = 'daily' THEN
                    p_start := date_trunc('day', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                    p_end := p_start + interval '1 day';
                    window_len := interval '3 hours';
                ELSE
                    p_start := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                    p_end := (date_trunc('month', at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
                    window_len := interval '7 days';
                END IF;
                burn_from := greatest(p_start, at - window_len);
                column_name := CASE b.scope WHEN 'team' THEN 'team' WHEN 'tenant' THEN 'tenant' ELSE 'app' END;
                EXECUTE format('SELECT coalesce(sum(cost_usd), 0) FROM dl_cost_windows
                                WHERE %I = $1 AND window_start >= $2 AND window_start < $3', column_name)
                    INTO spent USING b.scope_value, p_start, at;
                EXECUTE format('SELECT coalesce(sum(cost_usd), 0) FROM dl_cost_windows
                                WHERE %I = $1 AND window_start >= $2 AND window_start < $3', column_name)
                    INTO recent USING b.scope_value, burn_from, at;
                forecast := spent + CASE WHEN at > burn_from
                    THEN recent * extract(epoch FROM p_end - at)::numeric / extract(epoch FROM at - burn_from)::numeric
                    ELSE 0 END;
                ratio := spent / b.amount_usd;
                new_state := CASE WHEN ratio >= 1 THEN '100' WHEN ratio >= 0.8 THEN '80'
                                  WHEN ratio >= 0.5 THEN '50' ELSE 'ok' END;
                INSERT INTO dl_budget_state AS s (name, period_start, period_end, spent_usd, forecast_usd, consumed,
                                                  state, forecast_exceeds, state_since, evaluated_at)
                VALUES (b.name, p_start, p_end, spent, forecast, ratio, new_state, forecast > b.amount_usd, at, at)
                ON CONFLICT (name) DO UPDATE SET
                    period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
                    spent_usd = EXCLUDED.spent_usd, forecast_usd = EXCLUDED.forecast_usd,
                    consumed = EXCLUDED.consumed, state = EXCLUDED.state,
                    forecast_exceeds = EXCLUDED.forecast_exceeds,
                    state_since = CASE WHEN s.state = EXCLUDED.state AND s.forecast_exceeds = EXCLUDED.forecast_exceeds
                                            AND s.period_start = EXCLUDED.period_start
                                       THEN s.state_since ELSE EXCLUDED.state_since END,
                    evaluated_at = EXCLUDED.evaluated_at;
            END LOOP;
            RETURN QUERY SELECT * FROM dl_budget_state ORDER BY name;
        END
        $$
        """,
        // Cost conditions an alert engine can fire on without knowing this code: budget
        // thresholds (budget_50, budget_80, budget_100), forecasts over budget
        // (budget_forecast) and models seen without a price in the last day (unpriced_model).
        """
        CREATE OR REPLACE VIEW dl_cost_alerts AS
        SELECT 'budget_' || s.state AS rule, s.name AS subject, s.spent_usd AS value, b.amount_usd AS threshold,
               s.state_since AS since, s.evaluated_at
        FROM dl_budget_state s JOIN dl_budgets b USING (name) WHERE s.state <> 'ok'
        UNION ALL
        SELECT 'budget_forecast', s.name, s.forecast_usd, b.amount_usd, s.state_since, s.evaluated_at
        FROM dl_budget_state s JOIN dl_budgets b USING (name) WHERE s.forecast_exceeds
        UNION ALL
        SELECT 'unpriced_model', provider || '/' || model, sum(unpriced_requests)::numeric, 0, min(window_start), now()
        FROM dl_costs WHERE unpriced_requests > 0 AND window_start >= now() - interval '1 day'
        GROUP BY provider, model
        """,
    ]
}
