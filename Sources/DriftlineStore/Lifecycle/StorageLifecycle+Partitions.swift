import Logging
import PostgresNIO

/// The weekly partitions of the partitioned window tables: made ahead of the rows, and dropped
/// whole once every row in them is past retention.
extension StorageLifecycle {
    /// The tables among `rollupTables` that migration 14 partitioned (a table the lifecycle is
    /// given that is not partitioned is only rolled up and deleted from).
    func partitionedTables(_ connection: PostgresConnection, _ logger: Logger) async throws -> [String] {
        let names = rollupTables.map(\.name)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: WindowPartitions.partitionedSQL, binds: Self.binds(names)), logger: logger
        ).collect()
        let partitioned = Set(try rows.map { try $0.decode(String.self) })
        return names.filter { partitioned.contains($0) }
    }

    private func partitions(_ table: String, _ connection: PostgresConnection, _ logger: Logger) async throws
        -> [(name: String, from: Int64, to: Int64)]
    {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: WindowPartitions.partitionsSQL, binds: Self.binds(table)), logger: logger
        ).collect()
        return try rows.map { try $0.decode((String, Int64, Int64).self) }
    }

    /// Makes the partitions of this week and the next ones, and of every week before them whose
    /// rows within retention sit in the default partition, moving those rows in. A partition
    /// whose lock cannot be had within `lockTimeoutSeconds` (a long flush or query holds the
    /// table) is left for the next run and named in the report.
    func makePartitions(
        _ table: String, now: Int64, report: inout LifecycleReport, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        let existing = Set(try await partitions(table, connection, logger).map(\.from))
        let oldestKept = WindowPartitions.dropCutoff(policy: policy, now: now).map(WindowPartitions.weekStart) ?? 0
        let stray = try await connection.query(
            PostgresQuery(
                unsafeSQL: WindowPartitions.defaultWeeksSQL(table),
                binds: Self.binds(oldestKept, WindowPartitions.horizon(now: now))),
            logger: logger
        ).collect().map { try $0.decode(Int64.self) }
        let weeks = Set(stray + WindowPartitions.upcomingWeeks(now: now)).subtracting(existing).sorted()
        for week in weeks {
            let end = week + WindowPartitions.width
            let moved = try await withLockTimeout("make", table, week: week, report: &report, connection, logger) {
                let rows = try await connection.query(
                    "SELECT dl_create_window_partition(\(table), to_timestamp(\(week)), to_timestamp(\(end)))",
                    logger: logger
                ).collect()
                return try rows.first?.decode(Int64?.self) ?? 0
            }
            if let moved { report.partitionsCreated.append(.init(table: table, rangeStart: week, rows: moved)) }
        }
    }

    /// Drops the partitions of `table` that end before `cutoff`: every row in them is past the
    /// retention of both resolutions. Counted first, so the report says how many rows went.
    func dropPartitions(
        _ table: String, before cutoff: Int64, report: inout LifecycleReport, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        for partition in try await partitions(table, connection, logger) where partition.to <= cutoff {
            let rows = try await withLockTimeout(
                "drop", table, week: partition.from, report: &report, connection, logger
            ) {
                let counted = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*)::int8 FROM \(partition.name)"), logger: logger
                ).collect()
                try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(partition.name)"), logger: logger)
                return try counted.first?.decode(Int64.self) ?? 0
            }
            if let rows {
                report.partitionsDropped.append(.init(table: table, rangeStart: partition.from, rows: rows))
            }
        }
    }

    /// Runs `body` in a transaction (rolled back in a dry run) whose lock waits are bounded by
    /// `lockTimeoutSeconds`. Nil when a lock could not be had in time: the week's partition is
    /// then reported as left for the next run.
    private func withLockTimeout(
        _ action: String, _ table: String, week: Int64, report: inout LifecycleReport,
        _ connection: PostgresConnection, _ logger: Logger, _ body: () async throws -> Int64
    ) async throws -> Int64? {
        do {
            return try await transaction(connection, commit: !report.dryRun, logger) { () async throws -> Int64 in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SET LOCAL lock_timeout = '\(lockTimeoutSeconds)s'"), logger: logger)
                return try await body()
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {
            report.partitionsDeferred.append(.init(table: table, rangeStart: week, rows: 0))
            logger.warning(
                "lifecycle: could not lock the table within the lock timeout to \(action) a partition; the next run retries",
                metadata: ["table": "\(table)", "week": "\(LifecycleReport.day(week))"])
            return nil
        }
    }

    private static func binds<Value: PostgresDynamicTypeEncodable>(_ values: Value...) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return binds
    }
}
