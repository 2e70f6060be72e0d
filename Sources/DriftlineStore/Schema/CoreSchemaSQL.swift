/// Tables for the windowed aggregates and the ingest bookkeeping (migration 2).
enum CoreSchemaSQL {
    static let statements: [String] = [
        // Adds two {"key": count} objects key by key; merges per-error-type counters.
        """
        CREATE OR REPLACE FUNCTION dl_counts_add(a jsonb, b jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(jsonb_object_agg(k, total), '{}'::jsonb)
            FROM (
                SELECT k, sum(v) AS total
                FROM (
                    SELECT key AS k, value::bigint AS v FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
                    UNION ALL
                    SELECT key, value::bigint FROM jsonb_each_text(coalesce(b, '{}'::jsonb))
                ) AS pairs
                GROUP BY k
            ) AS sums
        $$
        """,
        """
        CREATE OR REPLACE AGGREGATE dl_counts_sum_agg(jsonb) (
            SFUNC = dl_counts_add, STYPE = jsonb, INITCOND = '{}', COMBINEFUNC = dl_counts_add, PARALLEL = SAFE
        )
        """,
        // One row per window and dimension values. Dimensions that the pipeline is not
        // configured to split by hold '' (meaning "all"), so any subset can be rolled up with GROUP BY.
        """
        CREATE TABLE IF NOT EXISTS dl_windows (
            window_start        timestamptz NOT NULL,
            window_seconds      integer     NOT NULL,
            model               text        NOT NULL,
            provider            text        NOT NULL,
            app                 text        NOT NULL,
            route               text        NOT NULL,
            tenant              text        NOT NULL,
            user_id             text        NOT NULL,
            team                text        NOT NULL,
            environment         text        NOT NULL,
            model_version       text        NOT NULL,
            labels              jsonb       NOT NULL DEFAULT '{}',
            requests            bigint      NOT NULL,
            errors              bigint      NOT NULL,
            errors_by_type      jsonb       NOT NULL DEFAULT '{}',
            late_events         bigint      NOT NULL,
            input_tokens        bigint      NOT NULL,
            output_tokens       bigint      NOT NULL,
            cached_input_tokens bigint      NOT NULL,
            cache_write_tokens  bigint      NOT NULL,
            reasoning_tokens    bigint      NOT NULL,
            ttft_ms             dl_histogram NOT NULL,
            tpot_ms             dl_histogram NOT NULL,
            latency_ms          dl_histogram NOT NULL,
            input_tokens_dist   dl_histogram NOT NULL,
            output_tokens_dist  dl_histogram NOT NULL,
            updated_at          timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_windows_model_time ON dl_windows (model, window_start)",
        // The next offset to read per consumer group and partition, written in the same
        // transaction as the aggregates of the records before it (exactly-once effect).
        """
        CREATE TABLE IF NOT EXISTS dl_consumer_offsets (
            consumer_group text    NOT NULL,
            topic          text    NOT NULL,
            partition      integer NOT NULL,
            next_offset    bigint  NOT NULL,
            records        bigint  NOT NULL DEFAULT 0,
            dead_letters   bigint  NOT NULL DEFAULT 0,
            updated_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer_group, topic, partition)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_dead_letters (
            id               bigserial PRIMARY KEY,
            consumer_group   text        NOT NULL,
            topic            text        NOT NULL,
            partition        integer     NOT NULL,
            "offset"         bigint      NOT NULL,
            record_key       bytea,
            record_timestamp timestamptz,
            error_code       text        NOT NULL,
            reason           text        NOT NULL,
            payload          bytea,
            payload_size     integer     NOT NULL,
            received_at      timestamptz NOT NULL DEFAULT now(),
            UNIQUE (consumer_group, topic, partition, "offset")
        )
        """,
        // Requests per model over a range with the merged latency histograms: the shape most
        // dashboards start from. Quantiles come from dl_hist_quantile on the merged columns.
        """
        CREATE OR REPLACE VIEW dl_windows_by_model AS
        SELECT window_start, window_seconds, model, provider,
               sum(requests) AS requests, sum(errors) AS errors,
               dl_counts_sum_agg(errors_by_type) AS errors_by_type,
               sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
               sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
               sum(reasoning_tokens) AS reasoning_tokens,
               dl_hist_merge_agg(ttft_ms) AS ttft_ms, dl_hist_merge_agg(tpot_ms) AS tpot_ms,
               dl_hist_merge_agg(latency_ms) AS latency_ms
        FROM dl_windows
        GROUP BY window_start, window_seconds, model, provider
        """,
    ]
}
