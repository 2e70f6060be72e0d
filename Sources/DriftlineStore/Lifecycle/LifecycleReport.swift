/// What one lifecycle run did (or, with `dryRun`, would do).
public struct LifecycleReport: Sendable, Equatable {
    public struct Rollup: Sendable, Equatable {
        public var table: String
        /// Sub-hour rows merged away.
        public var subHourRows: Int64
        /// Hourly rows written (created, or merged into for late rows).
        public var hourlyRows: Int64
        /// Transactions (hour batches).
        public var batches: Int
    }

    public struct Deletion: Sendable, Equatable {
        public var table: String
        public var retentionClass: RetentionRule.Class
        public var rows: Int64
    }

    public var dryRun: Bool
    /// True when another instance held the lifecycle lock, so this run stopped early.
    public var yieldedToAnotherInstance = false
    public var rollups: [Rollup] = []
    public var deletions: [Deletion] = []

    public init(dryRun: Bool) { self.dryRun = dryRun }

    /// True when nothing was (or would be) changed.
    public var changedNothing: Bool {
        rollups.allSatisfy { $0.subHourRows == 0 && $0.hourlyRows == 0 } && deletions.allSatisfy { $0.rows == 0 }
    }

    /// One line per table that changed, for the command and the log.
    public var lines: [String] {
        let verb = dryRun ? "would " : ""
        var lines = rollups.filter { $0.subHourRows > 0 }.map {
            "\($0.table): \(verb)roll up \($0.subHourRows) sub-hour rows into \($0.hourlyRows) hourly rows "
                + "(\($0.batches) batches)"
        }
        lines += deletions.filter { $0.rows > 0 }.map {
            "\($0.table): \(verb)delete \($0.rows) rows past the \($0.retentionClass.rawValue) retention"
        }
        if yieldedToAnotherInstance { lines.append("stopped: another instance is running the lifecycle") }
        if lines.isEmpty { lines.append("nothing to roll up or delete") }
        return lines
    }
}
