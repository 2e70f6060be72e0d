import Foundation

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

    /// A weekly partition made (with the rows it took from the default partition) or dropped
    /// (with the rows it held), or one left for the next run because its table's lock was busy.
    public struct Partition: Sendable, Equatable {
        public var table: String
        /// Its first second (a Monday 00:00 UTC), since the epoch.
        public var rangeStart: Int64
        public var rows: Int64
    }

    public var dryRun: Bool
    /// True when another instance held the lifecycle lock, so this run stopped early.
    public var yieldedToAnotherInstance = false
    public var rollups: [Rollup] = []
    public var deletions: [Deletion] = []
    public var partitionsCreated: [Partition] = []
    public var partitionsDropped: [Partition] = []
    public var partitionsDeferred: [Partition] = []

    public init(dryRun: Bool) { self.dryRun = dryRun }

    /// True when nothing was (or would be) changed.
    public var changedNothing: Bool {
        rollups.allSatisfy { $0.subHourRows == 0 && $0.hourlyRows == 0 } && deletions.allSatisfy { $0.rows == 0 }
            && partitionsCreated.isEmpty && partitionsDropped.isEmpty
    }

    /// One line per table that changed, for the command and the log.
    public var lines: [String] {
        let verb = dryRun ? "would " : ""
        var lines = partitionsCreated.map {
            "\($0.table): \(verb)make the partition of the week of \(Self.day($0.rangeStart))"
                + ($0.rows > 0 ? " (moving \($0.rows) rows from the default partition)" : "")
        }
        lines += rollups.filter { $0.subHourRows > 0 }.map {
            "\($0.table): \(verb)roll up \($0.subHourRows) sub-hour rows into \($0.hourlyRows) hourly rows "
                + "(\($0.batches) batches)"
        }
        lines += deletions.filter { $0.rows > 0 }.map {
            "\($0.table): \(verb)delete \($0.rows) rows past the \($0.retentionClass.rawValue) retention"
        }
        lines += partitionsDropped.map {
            "\($0.table): \(verb)drop the partition of the week of \(Self.day($0.rangeStart)) (\($0.rows) rows past retention)"
        }
        lines += partitionsDeferred.map {
            "\($0.table): the partition of the week of \(Self.day($0.rangeStart)) is left for the next run "
                + "(the table stayed locked past the lock timeout)"
        }
        if yieldedToAnotherInstance { lines.append("stopped: another instance is running the lifecycle") }
        if lines.isEmpty { lines.append("nothing to roll up or delete") }
        return lines
    }

    /// `2026-11-30`: the UTC date of `seconds` since the epoch.
    static func day(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(seconds)).formatted(
            Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }
}
