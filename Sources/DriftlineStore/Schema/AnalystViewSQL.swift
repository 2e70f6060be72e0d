/// Migration 12, first part: the stable views for analysts and dashboards (docs/sql.md lists
/// them). Their names and columns are a public interface: a later migration may add columns at
/// the end, never rename or drop one.
///
/// `dl_windows` may hold windows of several sizes (the configured window, and 1-hour rows that
/// an exact rollup writes in place of older minutes), so each view buckets by `date_trunc` on
/// `window_start` (in UTC, whatever the session's time zone) and merges: counters add and
/// histograms merge exactly, so an hour built from sixty minutes equals the hour a rollup writes.
/// A view only takes windows no longer than its bucket: a 1-hour row cannot be split into
/// minutes, so the minute view is empty where only hours are kept.
enum AnalystViewSQL {
    /// The dimension columns the window tables share, in key order.
    static let dimensions = "model, provider, app, route, tenant, user_id, team, environment, model_version, labels"

    /// Requests, errors, tokens and the merged latency histograms per bucket and dimension
    /// values, with p50/p95/p99 of TTFT, TPOT and end-to-end latency read from the merged
    /// histograms. The histograms are kept so a coarser grouping can merge them again.
    static func latencyView(name: String, bucket: String, column: String, maxWindowSeconds: Int) -> String {
        """
        CREATE OR REPLACE VIEW \(name) AS
        SELECT m.*,
               dl_hist_quantile(m.ttft_ms, 0.5) AS ttft_p50_ms, dl_hist_quantile(m.ttft_ms, 0.95) AS ttft_p95_ms,
               dl_hist_quantile(m.ttft_ms, 0.99) AS ttft_p99_ms,
               dl_hist_quantile(m.tpot_ms, 0.5) AS tpot_p50_ms, dl_hist_quantile(m.tpot_ms, 0.95) AS tpot_p95_ms,
               dl_hist_quantile(m.tpot_ms, 0.99) AS tpot_p99_ms,
               dl_hist_quantile(m.latency_ms, 0.5) AS e2e_p50_ms,
               dl_hist_quantile(m.latency_ms, 0.95) AS e2e_p95_ms,
               dl_hist_quantile(m.latency_ms, 0.99) AS e2e_p99_ms
        FROM (
            SELECT date_trunc('\(bucket)', window_start, 'UTC') AS \(column), \(dimensions),
                   sum(requests)::bigint AS requests, sum(errors)::bigint AS errors,
                   dl_counts_sum_agg(errors_by_type) AS errors_by_type, sum(late_events)::bigint AS late_events,
                   sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
                   sum(cached_input_tokens)::bigint AS cached_input_tokens,
                   sum(cache_write_tokens)::bigint AS cache_write_tokens,
                   sum(reasoning_tokens)::bigint AS reasoning_tokens,
                   dl_hist_merge_agg(ttft_ms) AS ttft_ms, dl_hist_merge_agg(tpot_ms) AS tpot_ms,
                   dl_hist_merge_agg(latency_ms) AS latency_ms
            FROM dl_windows
            WHERE window_seconds <= \(maxWindowSeconds)
            GROUP BY 1, \(dimensions)
        ) m
        """
    }

    static let statements: [String] = [
        latencyView(name: "dl_latency_minute", bucket: "minute", column: "minute", maxWindowSeconds: 60),
        latencyView(name: "dl_latency_hour", bucket: "hour", column: "hour", maxWindowSeconds: 3_600),
        // Spend per UTC day and every cost-attribution dimension (GPU-hour cost included, from
        // dl_cost_windows). cost_usd is NULL when nothing in the group was priced.
        """
        CREATE OR REPLACE VIEW dl_spend_daily AS
        SELECT date_trunc('day', window_start, 'UTC') AS day, \(dimensions),
               sum(requests)::bigint AS requests, sum(priced_requests)::bigint AS priced_requests,
               sum(unpriced_requests)::bigint AS unpriced_requests,
               sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
               sum(cached_input_tokens)::bigint AS cached_input_tokens,
               sum(cache_write_5m_tokens + cache_write_1h_tokens)::bigint AS cache_write_tokens,
               sum(reasoning_tokens)::bigint AS reasoning_tokens,
               sum(unpriced_input_tokens + unpriced_output_tokens)::bigint AS unpriced_tokens,
               sum(cost_usd) AS cost_usd, sum(cache_savings_usd) AS cache_savings_usd
        FROM dl_cost_windows
        WHERE window_seconds <= 86400
        GROUP BY 1, \(dimensions)
        """,
        // The same per day and one dimension at a time (long format): `dimension` is model,
        // provider, app, route, tenant, user, team, environment or model_version, `value` its
        // value ('' where the dimension is not configured for cost attribution).
        """
        CREATE OR REPLACE VIEW dl_spend_daily_by_dimension AS
        SELECT s.day, d.dimension, d.value,
               sum(s.requests)::bigint AS requests, sum(s.priced_requests)::bigint AS priced_requests,
               sum(s.unpriced_requests)::bigint AS unpriced_requests, sum(s.unpriced_tokens)::bigint AS unpriced_tokens,
               sum(s.cost_usd) AS cost_usd,
               sum(s.cost_usd) * 1000 / nullif(sum(s.priced_requests), 0) AS cost_per_1k_requests,
               sum(s.cache_savings_usd) AS cache_savings_usd
        FROM dl_spend_daily s
        CROSS JOIN LATERAL (VALUES ('model', s.model), ('provider', s.provider), ('app', s.app),
                                   ('route', s.route), ('tenant', s.tenant), ('user', s.user_id),
                                   ('team', s.team), ('environment', s.environment),
                                   ('model_version', s.model_version)) AS d (dimension, value)
        GROUP BY s.day, d.dimension, d.value
        """,
        // Every PSI result with its grouping's usual keys as columns and whether it is the
        // latest evaluation of its feature and grouping.
        """
        CREATE OR REPLACE VIEW dl_drift_psi AS
        SELECT r.feature, r.grouping, coalesce(r.grouping ->> 'model', '') AS model,
               coalesce(r.grouping ->> 'app', '') AS app, coalesce(r.grouping ->> 'tenant', '') AS tenant,
               coalesce(r.grouping ->> 'environment', '') AS environment,
               r.binning, r.psi, r.severity, r.reference_start, r.reference_end, r.current_start, r.current_end,
               r.reference_count, r.current_count, r.evaluated_at,
               r.current_end = max(r.current_end) OVER (PARTITION BY r.feature, r.grouping, r.binning) AS latest
        FROM dl_drift_results r
        """,
        // Alerts pending or firing now, with the SLO burn-rate labels and annotations as columns
        // (NULL for other rules; a burn rate is NULL when its window saw no events).
        """
        CREATE OR REPLACE VIEW dl_alerts_current AS
        SELECT a.fingerprint, a.rule, coalesce(a.labels ->> 'alertname', a.rule) AS alertname, a.state, a.severity,
               a.labels ->> 'slo' AS slo, a.labels ->> 'burn_tier' AS burn_tier,
               a.labels ->> 'burn_window' AS burn_window,
               dl_try_float8(a.annotations ->> 'burn_rate_long') AS burn_rate_long,
               dl_try_float8(a.annotations ->> 'burn_rate_short') AS burn_rate_short,
               dl_try_float8(a.annotations ->> 'burn_rate_threshold') AS burn_rate_threshold,
               a.annotations ->> 'summary' AS summary, a.labels, a.annotations, a.active_since,
               now() - a.active_since AS active_for, a.source_file, a.updated_at
        FROM dl_alerts a
        """,
        // Every change of an alert to firing or resolved, with the same columns, and for a
        // resolution how long the alert fired.
        """
        CREATE OR REPLACE VIEW dl_alert_events AS
        SELECT h.id, h.at, h.fingerprint, h.rule, coalesce(h.labels ->> 'alertname', h.rule) AS alertname, h.status,
               h.severity, h.labels ->> 'slo' AS slo, h.labels ->> 'burn_tier' AS burn_tier,
               h.labels ->> 'burn_window' AS burn_window,
               dl_try_float8(h.annotations ->> 'burn_rate_long') AS burn_rate_long,
               dl_try_float8(h.annotations ->> 'burn_rate_short') AS burn_rate_short,
               dl_try_float8(h.annotations ->> 'burn_rate_threshold') AS burn_rate_threshold,
               h.annotations ->> 'summary' AS summary, h.labels, h.annotations, h.starts_at, h.ends_at,
               CASE WHEN h.status = 'resolved' THEN h.ends_at - h.starts_at END AS fired_for
        FROM dl_alert_history h
        """,
        // First appearances (dl_change_events) with a one-line text, as annotations want them.
        """
        CREATE OR REPLACE VIEW dl_changes AS
        SELECT c.first_seen AS at, c.kind, c.subject,
               c.kind || ': ' || (SELECT string_agg(key || '=' || value, ' ' ORDER BY key)
                                  FROM jsonb_each_text(c.subject)) AS text,
               c.topic, c.partition, c.recorded_at
        FROM dl_change_events c
        """,
    ]

    /// Runs before the views: a numeric annotation parsed, NULL for text such as "no events".
    static let helpers: [String] = [
        """
        CREATE OR REPLACE FUNCTION dl_try_float8(t text) RETURNS double precision
        LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN t ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$'
                        THEN t::double precision END
        $$
        """
    ]
}
