/// Migration 9: change attribution. `dl_change_events` holds the first appearance of every model,
/// model version and value of the configured labels (a deployment, a new prompt version), for
/// annotations on drift and latency panels; `dl_drift_movers` ranks the groupings of each
/// feature's latest PSI evaluation by how far they moved.
enum ChangeSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_change_events (
            kind        text        NOT NULL,
            subject     jsonb       NOT NULL,
            first_seen  timestamptz NOT NULL,
            topic       text        NOT NULL,
            partition   integer     NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, subject)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_change_events_time ON dl_change_events (first_seen)",
        """
        CREATE OR REPLACE VIEW dl_drift_movers AS
        SELECT r.feature, r.grouping, r.psi, r.severity, r.current_start, r.current_end,
               rank() OVER (PARTITION BY r.feature ORDER BY r.psi DESC) AS rank
        FROM dl_drift_results r
        WHERE r.current_end = (SELECT max(l.current_end) FROM dl_drift_results l WHERE l.feature = r.feature)
        """,
    ]
}
