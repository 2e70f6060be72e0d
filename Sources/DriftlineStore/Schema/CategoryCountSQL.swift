/// Migration 6: per-window counts of categorical features (finish reason, …), keyed like
/// `dl_windows` plus the feature and its category. Mergeable: counts add.
enum CategoryCountSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_category_counts (
            window_start   timestamptz NOT NULL,
            window_seconds integer     NOT NULL,
            model          text        NOT NULL,
            provider       text        NOT NULL,
            app            text        NOT NULL,
            route          text        NOT NULL,
            tenant         text        NOT NULL,
            user_id        text        NOT NULL,
            team           text        NOT NULL,
            environment    text        NOT NULL,
            model_version  text        NOT NULL,
            labels         jsonb       NOT NULL,
            feature        text        NOT NULL,
            category       text        NOT NULL,
            events         bigint      NOT NULL,
            updated_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, feature, category)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_category_counts_feature_time ON dl_category_counts (feature, window_start)",
    ]
}
