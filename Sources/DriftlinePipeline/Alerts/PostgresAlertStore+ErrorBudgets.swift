import DriftlineAlerts
import Foundation
import PostgresNIO

extension PostgresAlertStore {
    /// One group's row of `dl_slo_budgets`, as an element of the JSON array that
    /// `jsonb_to_recordset` turns into rows: one statement per SLO, whatever its number of groups.
    private struct BudgetRow: Encodable {
        var groupLabels: [String: String]
        var good: Int64
        var total: Int64
        /// Absent (NULL) without events.
        var errorRatio: Double?
        var budgetRemaining: Double?

        enum CodingKeys: String, CodingKey {
            case groupLabels = "group_labels"
            case good, total
            case errorRatio = "error_ratio"
            case budgetRemaining = "budget_remaining"
        }
    }

    /// Stores the error budgets of `evaluations` in `dl_slo_budgets`, in the step's transaction: each
    /// evaluated SLO's groups are upserted and its groups without events in the period any more go.
    /// A failed evaluation carries no budget, so its rows stay as they were (their `evaluated_at`
    /// tells). With `knownRules` and some evaluation, rows of SLOs no longer configured go.
    ///
    /// An evaluation older than the stored one (a member that read before another but stepped
    /// after it) changes no row the newer one wrote.
    func writeBudgets(
        of evaluations: [AlertEngine.Evaluation], knownRules: Set<String>?, on connection: PostgresConnection
    ) async throws {
        for budget in evaluations.compactMap(\.budget) {
            let rows = budget.groups.map { group in
                BudgetRow(
                    groupLabels: group.group.labels, good: group.counts.good, total: group.counts.total,
                    errorRatio: group.errorRatio, budgetRemaining: group.remaining)
            }
            let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
            let end = budget.end.timeIntervalSince1970
            try await connection.query(
                """
                DELETE FROM dl_slo_budgets
                WHERE slo = \(budget.slo) AND evaluated_at <= to_timestamp(\(end)::float8)
                  AND group_labels NOT IN (
                      SELECT g.group_labels FROM jsonb_to_recordset(\(json)::jsonb) AS g(group_labels jsonb))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO dl_slo_budgets AS b (slo, group_labels, objective, period_seconds, good, total,
                                                 error_ratio, budget_remaining, evaluated_at)
                SELECT \(budget.slo), g.group_labels, \(budget.objective)::float8,
                       \(budget.period.components.seconds)::int8, g.good, g.total, g.error_ratio, g.budget_remaining,
                       to_timestamp(\(end)::float8)
                FROM jsonb_to_recordset(\(json)::jsonb)
                     AS g(group_labels jsonb, good int8, total int8, error_ratio float8, budget_remaining float8)
                ON CONFLICT (slo, group_labels) DO UPDATE SET
                    objective = excluded.objective, period_seconds = excluded.period_seconds, good = excluded.good,
                    total = excluded.total, error_ratio = excluded.error_ratio,
                    budget_remaining = excluded.budget_remaining, evaluated_at = excluded.evaluated_at
                WHERE b.evaluated_at <= excluded.evaluated_at
                """, logger: logger)
        }
        if let knownRules, !evaluations.isEmpty {
            try await connection.query(
                "DELETE FROM dl_slo_budgets WHERE slo <> ALL(\(knownRules.sorted())::text[])", logger: logger)
        }
    }
}
