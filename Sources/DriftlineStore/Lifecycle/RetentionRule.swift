/// Rows of one table that are deleted once their time is older than the retention of their
/// class. Deletion is in batches of a bounded number of rows, each its own short transaction.
public struct RetentionRule: Sendable, Hashable {
    /// Which retention period applies (see `LifecyclePolicy.retention`).
    public enum Class: String, Sendable, Hashable, CaseIterable {
        /// Per-window rows below an hour (`window_seconds < 3600`) that were not rolled up.
        case subHourWindows = "minute_windows"
        /// Per-window rows of an hour or more (the rollups).
        case hourWindows = "hour_windows"
        case deadLetters = "dead_letters"
        case rejectedRows = "rejected_rows"
        /// Drift detections (ADWIN/Page-Hinkley) and PSI results.
        case drift
        /// Alert history and delivered or rejected notifications of the outbox.
        case alertHistory = "alert_history"
        /// Scored quality samples (`dl_quality_samples`): the history of the hallucination rates,
        /// which are computed from them.
        case qualitySamples = "quality_samples"
        /// Embedding sums and samples (`drift.embeddings`), which are not rolled up.
        case embeddings
    }

    public let table: String
    /// The `timestamptz` column compared with the cut-off.
    public let timeColumn: String
    /// Further rows that must match, or nil.
    public let condition: String?
    public let retentionClass: Class

    public init(table: String, timeColumn: String, condition: String? = nil, retentionClass: Class) {
        self.table = table
        self.timeColumn = timeColumn
        self.condition = condition
        self.retentionClass = retentionClass
    }

    var whereClause: String {
        (["\(timeColumn) < to_timestamp($1)"] + (condition.map { [$0] } ?? [])).joined(separator: " AND ")
    }
}

extension RetentionRule {
    /// Both resolutions of every rolled-up table, then the event-like tables. Tables not listed
    /// here are never deleted from: offsets, analyser state, first appearances (`dl_change_events`),
    /// alert engine state and open alerts, budgets, undelivered notifications.
    public static func all(rollupTables: [RollupTable] = RollupTable.all) -> [RetentionRule] {
        rollupTables.flatMap {
            [
                RetentionRule(
                    table: $0.name, timeColumn: "window_start", condition: "window_seconds < 3600",
                    retentionClass: .subHourWindows),
                RetentionRule(
                    table: $0.name, timeColumn: "window_start", condition: "window_seconds >= 3600",
                    retentionClass: .hourWindows),
            ]
        } + [
            RetentionRule(table: "dl_dead_letters", timeColumn: "received_at", retentionClass: .deadLetters),
            RetentionRule(table: "dl_rejected_rows", timeColumn: "rejected_at", retentionClass: .rejectedRows),
            RetentionRule(table: "dl_drift_detections", timeColumn: "event_time", retentionClass: .drift),
            RetentionRule(table: "dl_drift_results", timeColumn: "current_end", retentionClass: .drift),
            RetentionRule(table: "dl_alert_history", timeColumn: "at", retentionClass: .alertHistory),
            RetentionRule(
                table: "dl_alert_outbox", timeColumn: "created_at",
                condition: "(delivered_at IS NOT NULL OR rejected_at IS NOT NULL)", retentionClass: .alertHistory),
            RetentionRule(table: "dl_quality_samples", timeColumn: "window_start", retentionClass: .qualitySamples),
            RetentionRule(table: "dl_embedding_windows", timeColumn: "window_start", retentionClass: .embeddings),
            RetentionRule(table: "dl_embedding_samples", timeColumn: "window_start", retentionClass: .embeddings),
            RetentionRule(table: "dl_embedding_texts", timeColumn: "window_start", retentionClass: .embeddings),
            RetentionRule(table: "dl_embedding_drift", timeColumn: "current_end", retentionClass: .drift),
        ]
    }
}
