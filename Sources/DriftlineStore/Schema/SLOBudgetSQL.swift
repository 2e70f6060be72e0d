/// Migration 15: `dl_slo_budgets`, the error budget left per SLO and group, as the alert engine
/// last evaluated it over the SLO's whole period (rule files hold the objectives, so SQL alone
/// cannot compute it). One row per SLO and group, upserted in the engine's step transaction;
/// rows of SLOs no longer configured are removed. `error_ratio` and `budget_remaining` are NULL
/// for a group without events in the period.
enum SLOBudgetSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_slo_budgets (
            slo              text             NOT NULL,
            group_labels     jsonb            NOT NULL,
            objective        double precision NOT NULL,
            period_seconds   bigint           NOT NULL,
            good             bigint           NOT NULL,
            total            bigint           NOT NULL,
            error_ratio      double precision,
            budget_remaining double precision,
            evaluated_at     timestamptz      NOT NULL,
            PRIMARY KEY (slo, group_labels)
        )
        """,
        // Default privileges already cover tables created after migration 12 by the same user;
        // granting explicitly also covers a database whose role was created after it migrated.
        "SELECT dl_grant_reader()",
    ]
}
