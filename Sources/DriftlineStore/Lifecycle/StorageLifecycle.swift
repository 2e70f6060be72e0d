public import Logging
public import PostgresNIO

/// The storage lifecycle job: weekly partitions made ahead, exact hourly rollups of the sub-hour
/// window rows, then retention (whole partitions dropped, other rows deleted in batches).
///
/// Safe on several instances at once: a run holds a session advisory lock for its whole length,
/// and a run that cannot take it does nothing (`yieldedToAnotherInstance`). Even without the
/// lock the work would stay exact: each hour batch deletes its sub-hour rows and writes their
/// merge in one statement, so a second run finds the rows gone and writes nothing.
public struct StorageLifecycle: Sendable {
    /// An arbitrary constant that names the lifecycle's lock in `pg_locks`.
    static let advisoryLockKey: Int64 = 0x4472_6966_744C_6966  // "DriftLif"

    public var policy: LifecyclePolicy
    public var rollupTables: [RollupTable]
    public var retentionRules: [RetentionRule]
    /// Bound on each statement, so that a run never waits forever on a lock or a huge batch.
    public var statementTimeoutSeconds: Int
    /// Bound on the wait for a table's lock to make or drop a partition (which blocks the
    /// table's flushes while it waits): past it the partition is left for the next run.
    public var lockTimeoutSeconds: Int

    public init(
        policy: LifecyclePolicy = .default, rollupTables: [RollupTable] = RollupTable.all,
        retentionRules: [RetentionRule]? = nil, statementTimeoutSeconds: Int = 600, lockTimeoutSeconds: Int = 5
    ) {
        self.policy = policy
        self.rollupTables = rollupTables
        self.retentionRules = retentionRules ?? RetentionRule.all(rollupTables: rollupTables)
        self.statementTimeoutSeconds = statementTimeoutSeconds
        self.lockTimeoutSeconds = lockTimeoutSeconds
    }

    /// One run at `now` (seconds since the epoch) on a connection of `client`. With `dryRun`
    /// the rollups are done and rolled back, and the deletions counted, so the report says
    /// exactly what a real run would do and the database is unchanged.
    public func run(client: PostgresClient, now: Int64, dryRun: Bool = false, logger: Logger) async throws
        -> LifecycleReport
    {
        try await client.withConnection { connection in
            try await run(on: connection, now: now, dryRun: dryRun, logger: logger)
        }
    }

    public func run(on connection: PostgresConnection, now: Int64, dryRun: Bool = false, logger: Logger)
        async throws -> LifecycleReport
    {
        var report = LifecycleReport(dryRun: dryRun)
        let locked = try await connection.query(
            "SELECT pg_try_advisory_lock(\(Self.advisoryLockKey))", logger: logger
        ).collect().first?.decode(Bool.self)
        guard locked == true else {
            report.yieldedToAnotherInstance = true
            return report
        }
        do {
            try await work(connection, now: now, report: &report, logger: logger)
        } catch {
            await release(connection, logger: logger)
            throw error
        }
        await release(connection, logger: logger)
        return report
    }

    private func work(_ connection: PostgresConnection, now: Int64, report: inout LifecycleReport, logger: Logger)
        async throws
    {
        let partitioned = try await partitionedTables(connection, logger)
        for table in partitioned {
            try await makePartitions(table, now: now, report: &report, connection, logger)
        }
        if let rollupAfter = policy.rollupAfter {
            let cutoff = Self.hourFloor(now - rollupAfter)
            for table in rollupTables {
                report.rollups.append(
                    try await rollUp(table, before: cutoff, dryRun: report.dryRun, connection, logger))
            }
        }
        if let cutoff = WindowPartitions.dropCutoff(policy: policy, now: now) {
            for table in partitioned {
                try await dropPartitions(table, before: cutoff, report: &report, connection, logger)
            }
        }
        for rule in retentionRules {
            guard let keep = policy.retention[rule.retentionClass] else { continue }
            let rows = try await delete(rule, before: now - keep, dryRun: report.dryRun, connection, logger)
            report.deletions.append(.init(table: rule.table, retentionClass: rule.retentionClass, rows: rows))
        }
    }

    /// Rolls up every complete hour before `cutoff` that holds sub-hour rows, `batchHours` per
    /// transaction, from the earliest such row on.
    private func rollUp(
        _ table: RollupTable, before cutoff: Int64, dryRun: Bool, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> LifecycleReport.Rollup {
        var result = LifecycleReport.Rollup(table: table.name, subHourRows: 0, hourlyRows: 0, batches: 0)
        var from: Int64 = 0
        while let earliest = try await nextSubHourRow(table, from: from, before: cutoff, connection, logger) {
            let start = Self.hourFloor(earliest)
            let end = min(start + policy.batchHours * 3_600, cutoff)
            let (moved, hourly) = try await transaction(connection, commit: !dryRun, logger) {
                () async throws -> (Int64, Int64) in
                var binds = PostgresBindings(capacity: 2)
                binds.append(start)
                binds.append(end)
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: table.rollupSQL, binds: binds), logger: logger
                ).collect()
                guard let row = rows.first else { return (0, 0) }
                return try row.decode((Int64, Int64).self)
            }
            result.subHourRows += moved
            result.hourlyRows += hourly
            result.batches += 1
            from = end
        }
        if result.subHourRows > 0 {
            logger.debug(
                "lifecycle: rolled up", metadata: ["table": "\(table.name)", "rows": "\(result.subHourRows)"])
        }
        return result
    }

    private func nextSubHourRow(
        _ table: RollupTable, from: Int64, before cutoff: Int64, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Int64? {
        var binds = PostgresBindings(capacity: 2)
        binds.append(from)
        binds.append(cutoff)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: table.nextSubHourRowSQL, binds: binds), logger: logger
        ).collect()
        return try rows.first?.decode(Int64?.self)
    }

    /// Deletes the rows of `rule` older than `cutoff` in batches of `deleteBatchRows`, each its own
    /// transaction (short locks, bounded WAL per commit); with `dryRun` counts them.
    private func delete(
        _ rule: RetentionRule, before cutoff: Int64, dryRun: Bool, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> Int64 {
        var binds = PostgresBindings(capacity: 2)
        binds.append(cutoff)
        if dryRun {
            return try await transaction(connection, commit: false, logger) { () async throws -> Int64 in
                let rows = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT count(*)::int8 FROM \(rule.table) WHERE \(rule.whereClause)", binds: binds),
                    logger: logger
                ).collect()
                return try rows.first?.decode(Int64.self) ?? 0
            }
        }
        binds.append(policy.deleteBatchRows)
        var total: Int64 = 0
        // A ctid names a row only within one table: a partitioned table is deleted from one
        // partition at a time (each by ctid, so a batch is found by an index and removed by TID).
        for leaf in try await leafTables(rule.table, connection, logger) {
            let sql = """
                WITH gone AS (
                    DELETE FROM \(leaf) WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM \(leaf) WHERE \(rule.whereClause) LIMIT $2))
                    RETURNING 1
                )
                SELECT count(*)::int8 FROM gone
                """
            while true {
                let deleted = try await transaction(connection, commit: true, logger) { () async throws -> Int64 in
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                        .collect()
                    return try rows.first?.decode(Int64.self) ?? 0
                }
                total += deleted
                if deleted < policy.deleteBatchRows { break }
            }
        }
        return total
    }

    /// The tables that hold `table`'s rows: its partitions, or the table itself.
    private func leafTables(_ table: String, _ connection: PostgresConnection, _ logger: Logger) async throws
        -> [String]
    {
        let rows = try await connection.query(
            "SELECT relid::regclass::text FROM pg_partition_tree(\(table)::regclass) WHERE isleaf ORDER BY 1",
            logger: logger
        ).collect()
        // A table that is not partitioned has no partition tree.
        let leaves = try rows.map { try $0.decode(String.self) }
        return leaves.isEmpty ? [table] : leaves
    }

    func transaction<T>(
        _ connection: PostgresConnection, commit: Bool, _ logger: Logger, _ body: () async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query(
                PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = '\(statementTimeoutSeconds)s'"),
                logger: logger)
            let result = try await body()
            try await connection.query(commit ? "COMMIT" : "ROLLBACK", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Releases the lock; if that fails the session is closed, which releases it too.
    private func release(_ connection: PostgresConnection, logger: Logger) async {
        do {
            try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
        } catch {
            logger.warning(
                "lifecycle: could not release the advisory lock; closing the session",
                metadata: ["cause": "\(String(describing: error))"])
            try? await connection.close()
        }
    }

    static func hourFloor(_ seconds: Int64) -> Int64 { seconds - ((seconds % 3_600) + 3_600) % 3_600 }
}
