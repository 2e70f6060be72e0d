/// Counts of OTLP spans that are not model calls, per window, app, environment and operation
/// (migration 4). Written in the same flush transaction as the window aggregates and offsets.
enum SpanCountSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_span_counts (
            window_start   timestamptz NOT NULL,
            window_seconds integer     NOT NULL,
            app            text        NOT NULL,
            environment    text        NOT NULL,
            operation      text        NOT NULL,
            spans          bigint      NOT NULL,
            errors         bigint      NOT NULL,
            updated_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, app, environment, operation)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_span_counts_operation_time ON dl_span_counts (operation, window_start)",
    ]
}
