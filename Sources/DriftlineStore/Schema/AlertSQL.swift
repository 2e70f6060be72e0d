/// Migration 8: what the alert engine reads and writes.
///
/// - `dl_threshold_counts`: per window and key, for each latency threshold an SLO declares, the
///   events with that latency measured and those at or below the threshold, counted exactly at
///   ingest (mergeable: counts add).
/// - `dl_alert_engine`: the engine's whole state (every alert series' state machine and every
///   receiver's notification groups) as one JSON document; evaluations lock its row, so several
///   members evaluating at once take turns and never notify a change twice.
/// - `dl_alerts`: the series that are pending or firing now, for SQL and `driftline alerts status`.
/// - `dl_alert_history`: every change to firing or resolved.
/// - `dl_alert_outbox`: rendered webhook bodies, written in the transaction of the state change
///   that caused them and delivered by the sender in id order per receiver.
enum AlertSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_threshold_counts (
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
            metric         text             NOT NULL,
            threshold_ms   double precision NOT NULL,
            measured       bigint           NOT NULL,
            at_or_below    bigint           NOT NULL,
            updated_at     timestamptz      NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, metric, threshold_ms)
        )
        """,
        """
        CREATE INDEX IF NOT EXISTS dl_threshold_counts_metric_time
            ON dl_threshold_counts (metric, threshold_ms, window_start)
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_alert_engine (
            id         integer     PRIMARY KEY CHECK (id = 1),
            state      jsonb       NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_alerts (
            fingerprint  text        PRIMARY KEY,
            rule         text        NOT NULL,
            state        text        NOT NULL CHECK (state IN ('pending', 'firing')),
            severity     text        NOT NULL,
            labels       jsonb       NOT NULL,
            annotations  jsonb       NOT NULL,
            active_since timestamptz NOT NULL,
            source_file  text        NOT NULL,
            updated_at   timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_alert_history (
            id          bigserial   PRIMARY KEY,
            at          timestamptz NOT NULL,
            fingerprint text        NOT NULL,
            rule        text        NOT NULL,
            status      text        NOT NULL CHECK (status IN ('firing', 'resolved')),
            severity    text        NOT NULL,
            labels      jsonb       NOT NULL,
            annotations jsonb       NOT NULL,
            starts_at   timestamptz NOT NULL,
            ends_at     timestamptz
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_alert_history_time ON dl_alert_history (at)",
        """
        CREATE TABLE IF NOT EXISTS dl_alert_outbox (
            id              bigserial   PRIMARY KEY,
            receiver        text        NOT NULL,
            body            bytea       NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now(),
            attempts        integer     NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            delivered_at    timestamptz,
            rejected_at     timestamptz,
            last_error      text
        )
        """,
        """
        CREATE INDEX IF NOT EXISTS dl_alert_outbox_undelivered ON dl_alert_outbox (receiver, id)
            WHERE delivered_at IS NULL AND rejected_at IS NULL
        """,
    ]
}
