/// Migration 11: the quality plane.
///
/// - `dl_quality_counts`: per window, key, sampling stratum and rate, the events (eligible ones
///   by stratum, and `ineligible`), those sampled and those shed before scoring by reason.
///   Written by the sampler in the flush transaction with the offsets, so exact across replays.
/// - `dl_quality_samples`: one row per scored sample, keyed by request id (or an id derived
///   from topic, partition and offset) and inserted `ON CONFLICT DO NOTHING`, so a sample scored
///   again after a crash and replay is stored and counted once. Scored and flagged counts are
///   read from here, never from memory.
/// - `dl_wilson_interval(successes, n, z)`: the Wilson score interval (Wilson 1927; Brown, Cai &
///   DasGupta 2001, eq. 4), as statsmodels' `proportion_confint(method='wilson')` computes it.
/// - `dl_quality_rates`: per window and key, the hallucination rate weighted by 1/rate (the
///   Horvitz–Thompson ratio estimate) with a Wilson 95 % interval taken at Kish's effective
///   sample size n_eff = (Σw)² / Σw², and the sums that roll it up over any range.
enum QualitySQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_quality_counts (
            window_start    timestamptz      NOT NULL,
            window_seconds  integer          NOT NULL,
            model           text             NOT NULL,
            provider        text             NOT NULL,
            app             text             NOT NULL,
            route           text             NOT NULL,
            tenant          text             NOT NULL,
            user_id         text             NOT NULL,
            team            text             NOT NULL,
            environment     text             NOT NULL,
            model_version   text             NOT NULL,
            labels          jsonb            NOT NULL,
            stratum         text             NOT NULL,
            rate            double precision NOT NULL,
            events          bigint           NOT NULL,
            sampled         bigint           NOT NULL,
            shed_queue_full bigint           NOT NULL,
            shed_no_scorer  bigint           NOT NULL,
            shed_too_long   bigint           NOT NULL,
            updated_at      timestamptz      NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, stratum, rate)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_quality_counts_time ON dl_quality_counts (window_start)",
        """
        CREATE TABLE IF NOT EXISTS dl_quality_samples (
            request_id     text             PRIMARY KEY,
            trace_id       text,
            event_time     timestamptz      NOT NULL,
            window_start   timestamptz      NOT NULL,
            window_seconds integer          NOT NULL,
            model          text             NOT NULL,
            provider       text             NOT NULL,
            app            text             NOT NULL,
            route          text             NOT NULL,
            tenant         text             NOT NULL,
            user_id        text             NOT NULL,
            team           text             NOT NULL,
            environment    text             NOT NULL,
            model_version  text             NOT NULL,
            labels         jsonb            NOT NULL,
            stratum        text             NOT NULL,
            rate           double precision NOT NULL CHECK (rate > 0 AND rate <= 1),
            weight         double precision NOT NULL,
            verdict        text             NOT NULL CHECK (verdict IN ('faithful', 'unfaithful', 'error')),
            score          double precision,
            threshold      double precision,
            scorer_name    text             NOT NULL,
            scorer_version text             NOT NULL,
            detail         jsonb            NOT NULL,
            latency_ms     double precision NOT NULL,
            scored_at      timestamptz      NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_quality_samples_time ON dl_quality_samples (window_start)",
        "CREATE INDEX IF NOT EXISTS dl_quality_samples_model_time ON dl_quality_samples (model, window_start)",
        """
        CREATE INDEX IF NOT EXISTS dl_quality_samples_flagged
            ON dl_quality_samples (window_start) WHERE verdict = 'unfaithful'
        """,
        // Wilson score interval for `successes` out of `n` (both may be fractional: an effective
        // sample size). NULLs when n ≤ 0. z defaults to the 97.5 % normal quantile (95 % two-sided).
        """
        CREATE OR REPLACE FUNCTION dl_wilson_interval(
            successes double precision, n double precision, z double precision DEFAULT 1.959963984540054,
            OUT lower double precision, OUT upper double precision)
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN n > 0 THEN greatest(0.0, c - h) END, CASE WHEN n > 0 THEN least(1.0, c + h) END
            FROM (SELECT p, (p + z * z / (2 * n)) / (1 + z * z / n) AS c,
                         z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) AS h
                  FROM (SELECT CASE WHEN n > 0 THEN least(1.0, greatest(0.0, successes / n)) END AS p) AS q) AS w
        $$
        """,
        // The weighted rate and its interval from the sums a rollup keeps: Σw, Σw over flagged
        // samples, Σw². The interval is Wilson's at p̂ = Σw_flagged / Σw with n = n_eff.
        """
        CREATE OR REPLACE FUNCTION dl_quality_rate(
            weight_sum double precision, flagged_weight double precision, weight_square_sum double precision,
            OUT rate double precision, OUT effective_n double precision,
            OUT lower double precision, OUT upper double precision)
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT r, n, (dl_wilson_interval(r * n, n)).lower, (dl_wilson_interval(r * n, n)).upper
            FROM (SELECT CASE WHEN weight_sum > 0 THEN flagged_weight / weight_sum END AS r,
                         CASE WHEN weight_square_sum > 0 THEN weight_sum * weight_sum / weight_square_sum END AS n)
                 AS s
        $$
        """,
        """
        CREATE OR REPLACE VIEW dl_quality_rates AS
        SELECT window_start, window_seconds, model, provider, app, route, tenant, user_id, team, environment,
               model_version, labels, scored, flagged, errors, weight_sum, flagged_weight, weight_square_sum,
               (r).rate AS hallucination_rate, (r).effective_n AS effective_n, (r).lower AS rate_lower,
               (r).upper AS rate_upper
        FROM (
            SELECT window_start, window_seconds, model, provider, app, route, tenant, user_id, team, environment,
                   model_version, labels,
                   count(*) FILTER (WHERE verdict <> 'error') AS scored,
                   count(*) FILTER (WHERE verdict = 'unfaithful') AS flagged,
                   count(*) FILTER (WHERE verdict = 'error') AS errors,
                   coalesce(sum(weight) FILTER (WHERE verdict <> 'error'), 0) AS weight_sum,
                   coalesce(sum(weight) FILTER (WHERE verdict = 'unfaithful'), 0) AS flagged_weight,
                   coalesce(sum(weight * weight) FILTER (WHERE verdict <> 'error'), 0) AS weight_square_sum,
                   dl_quality_rate(
                       sum(weight) FILTER (WHERE verdict <> 'error'),
                       coalesce(sum(weight) FILTER (WHERE verdict = 'unfaithful'), 0),
                       sum(weight * weight) FILTER (WHERE verdict <> 'error')) AS r
            FROM dl_quality_samples
            GROUP BY window_start, window_seconds, model, provider, app, route, tenant, user_id, team, environment,
                     model_version, labels
        ) AS g
        """,
    ]
}
