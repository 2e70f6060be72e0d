import DriftlineCore
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlineStore

@Suite("Window table partitions")
struct WindowPartitionTests {
    static let logger = TestLogging.logger("partitions")
    static let base = LifecycleSeed.base
    /// The Monday of `base`'s week (2025-11-24T00:00:00Z).
    static let baseWeek: Int64 = 1_763_942_400
    static let week = WindowPartitions.width

    @Test func weeksStartOnMondayAtMidnightUTC() {
        #expect(WindowPartitions.weekStart(Self.base) == Self.baseWeek)
        #expect(WindowPartitions.weekStart(Self.baseWeek) == Self.baseWeek)
        #expect(WindowPartitions.weekStart(Self.baseWeek - 1) == Self.baseWeek - Self.week)
        #expect(WindowPartitions.weekStart(Self.baseWeek + Self.week - 1) == Self.baseWeek)
        // 1970-01-01 was a Thursday: its week began on Monday 1969-12-29.
        #expect(WindowPartitions.weekStart(0) == -3 * 86_400)
        #expect(WindowPartitions.upcomingWeeks(now: Self.base) == [0, 1, 2].map { Self.baseWeek + $0 * Self.week })
        #expect(LifecycleReport.day(Self.baseWeek) == "2025-11-24")
    }

    static func partitionNames(_ table: String, client: PostgresClient) async throws -> [String] {
        try await LifecycleReadings.texts("SELECT name FROM dl_window_partitions('\(table)')", client: client)
    }

    static func views(_ client: PostgresClient) async throws -> [String] {
        try await LifecycleReadings.texts(
            """
            SELECT viewname || ': ' || definition FROM pg_views
            WHERE schemaname = current_schema() AND viewname LIKE 'dl\\_%'
            """, client: client)
    }

    static func grants(_ client: PostgresClient) async throws -> [String] {
        try await LifecycleReadings.texts(
            """
            SELECT c.relname || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'dl\\_%'
              AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
            """, client: client)
    }

    /// A database at migration 13 with rows in every window table, a grant of an administrator's
    /// and the analyst views migrates to partitioned tables with the same rows, views (same
    /// definitions) and grants, and the flush writers keep working on them.
    @Test func migratingAnExistingDatabaseKeepsRowsViewsAndGrants() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Self.logger)
            try await Migrator(migrations: Migration.all.filter { $0.version < 14 }).migrate(
                client: client, logger: Self.logger)
            try await client.query("GRANT SELECT ON dl_latency_minute TO PUBLIC", logger: Self.logger)
            try await client.query("GRANT INSERT ON dl_windows TO PUBLIC", logger: Self.logger)
            let seed = LifecycleSeed()
            try await seed.write(to: store)
            var rowsBefore: [String: [String]] = [:]
            for table in RollupTable.all {
                rowsBefore[table.name] = try await LifecycleReadings.rows(table, client: client)
                #expect(rowsBefore[table.name]?.isEmpty == false, "\(table.name) is seeded")
            }
            let viewsBefore = try await Self.views(client)
            let grantsBefore = try await Self.grants(client)

            try await Migrator().migrate(client: client, logger: Self.logger)

            #expect(
                try await LifecycleReadings.texts(
                    "SELECT relname::text FROM pg_class WHERE relkind = 'p' AND relname LIKE 'dl\\_%'", client: client)
                    == PartitionSQL.tables.sorted())
            for table in RollupTable.all {
                #expect(
                    try await LifecycleReadings.rows(table, client: client) == rowsBefore[table.name], "\(table.name)")
                #expect(
                    try await LifecycleReadings.count(
                        "SELECT count(*) FROM ONLY \(table.name)_default", client: client)
                        == Int64(rowsBefore[table.name]?.count ?? -1))
            }
            #expect(try await Self.views(client) == viewsBefore)
            #expect(viewsBefore.contains { $0.hasPrefix("dl_latency_minute: ") })
            // (Later migrations add tables of their own; those before keep their grants.)
            let relationsBefore = Set(grantsBefore.map { $0.prefix { $0 != " " } })
            #expect(
                try await Self.grants(client).filter { relationsBefore.contains($0.prefix { $0 != " " }) }
                    == grantsBefore)
            #expect(grantsBefore.contains("dl_latency_minute - SELECT"))
            #expect(grantsBefore.contains("dl_windows - INSERT"))
            #expect(grantsBefore.contains("dl_windows driftline_reader SELECT"))
            // The primary keys and the sub-hour indexes are back on the partitioned tables.
            #expect(
                try await LifecycleReadings.texts(
                    """
                    SELECT indexname::text FROM pg_indexes
                    WHERE tablename = 'dl_windows' AND schemaname = current_schema()
                    """, client: client)
                    == ["dl_windows_model_time", "dl_windows_pkey", "dl_windows_sub_hour"].sorted())

            // The writers' upserts (ON CONFLICT on the primary key) merge into the moved rows.
            try await seed.write(to: store)
            let doubled = try await LifecycleReadings.count(
                "SELECT sum(requests)::int8 FROM dl_windows", client: client)
            #expect(doubled == 2 * seed.windows.values.reduce(0) { $0 + $1.requests })
            #expect(
                try await LifecycleReadings.rows(RollupTable.windows, client: client).count
                    == rowsBefore["dl_windows"]?.count)
        }
    }

    /// The lifecycle makes the partitions of the current and next two weeks and of every week
    /// whose rows sit in the default partition, moving them in without changing any reading;
    /// a second run makes none; new rows land in their week's partition.
    @Test func theLifecycleMakesWeeklyPartitionsAndEmptiesTheDefaultPartition() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Self.logger)
            try await Migrator().migrate(client: client, logger: Self.logger)
            // Rows in the week before `base`'s too: six hours ending two days into it.
            let seed = LifecycleSeed(from: Self.baseWeek - 2 * 86_400, minutes: 6 * 60)
            try await seed.write(to: store)
            let all = (Self.baseWeek - Self.week)..<(Self.baseWeek + Self.week)
            var before: [String: [String]] = [:]
            for table in RollupTable.all {
                before[table.name] = try await LifecycleReadings.range(table, all, client: client)
            }
            let now = Self.baseWeek + 3 * 86_400
            let policy = LifecyclePolicy(rollupAfter: 2 * 3_600, batchHours: 6, retention: [:])

            let report = try await StorageLifecycle(policy: policy).run(client: client, now: now, logger: Self.logger)

            for table in RollupTable.all {
                #expect(
                    try await Self.partitionNames(table.name, client: client)
                        == ["20251117", "20251124", "20251201", "20251208"].map { "\(table.name)_p\($0)" })
                #expect(
                    try await LifecycleReadings.count("SELECT count(*) FROM \(table.name)_default", client: client) == 0
                )
                #expect(try await LifecycleReadings.range(table, all, client: client) == before[table.name])
                let made = report.partitionsCreated.filter { $0.table == table.name }
                #expect(made.map(\.rangeStart) == [-1, 0, 1, 2].map { Self.baseWeek + $0 * Self.week })
                #expect(made.map(\.rows).reduce(0, +) > 0)
            }
            #expect(
                report.lines.contains {
                    $0.hasPrefix("dl_windows: make the partition of the week of 2025-11-17 (moving ")
                })

            let again = try await StorageLifecycle(policy: policy).run(client: client, now: now, logger: Self.logger)
            #expect(again.partitionsCreated.isEmpty)
            #expect(again.changedNothing)

            // A row of next week lands in its partition; one years ahead in the default one.
            var one = WindowAggregate()
            one.requests = 1
            _ = try await store.write(
                FlushBatch(
                    consumerGroup: "g",
                    windows: [
                        WindowKey(windowStart: now + Self.week, windowSeconds: 60, model: "next-week"): one,
                        WindowKey(windowStart: now + 400 * 86_400, windowSeconds: 60, model: "far-future"): one,
                    ]))
            #expect(
                try await LifecycleReadings.texts(
                    "SELECT model || ' ' || tableoid::regclass::text FROM dl_windows WHERE model IN ('next-week', 'far-future')",
                    client: client) == ["far-future dl_windows_default", "next-week dl_windows_p20251201"])
        }
    }

    /// A partition whose every row is past the retention of both resolutions is dropped whole
    /// (and counted); rows of older weeks that never had a partition are deleted row by row;
    /// a dry run says the same and changes nothing.
    @Test func retentionDropsWholeWeeksPastBothResolutions() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Self.logger)
            try await Migrator().migrate(client: client, logger: Self.logger)
            var one = WindowAggregate()
            one.requests = 1
            var windows: [WindowKey: WindowAggregate] = [:]
            // Hourly rows, two per week, in the 8 weeks starting with `baseWeek`.
            for week in Int64(0)..<8 {
                for hour in [Int64(30), 100] {
                    windows[
                        WindowKey(
                            windowStart: Self.baseWeek + week * Self.week + hour * 3_600, windowSeconds: 3_600,
                            model: "m")] = one
                }
            }
            _ = try await store.write(FlushBatch(consumerGroup: "g", windows: windows))
            let day: Int64 = 86_400
            let policy = LifecyclePolicy(
                rollupAfter: nil, retention: [.subHourWindows: 14 * day, .hourWindows: 21 * day])
            // First run in week 7: partitions for weeks 4…9 (week 4 starts after now − 21 days).
            let first = Self.baseWeek + 7 * Self.week + day
            _ = try await StorageLifecycle(policy: policy).run(client: client, now: first, logger: Self.logger)
            #expect(
                try await LifecycleReadings.count("SELECT count(*) FROM dl_windows", client: client) == 8)
            #expect(
                try await LifecycleReadings.count("SELECT count(*) FROM dl_windows_default", client: client) == 0)
            // Weeks 0…3 again: they have no partition, so they go to the default one.
            _ = try await store.write(FlushBatch(consumerGroup: "g", windows: windows))
            #expect(
                try await LifecycleReadings.count("SELECT count(*) FROM dl_windows_default", client: client) == 8)

            // Three weeks later weeks 4, 5 and 6 have ended before now − 21 days.
            let later = first + 3 * Self.week
            let rowsBefore = try await LifecycleReadings.rows(RollupTable.windows, client: client)
            let dry = try await StorageLifecycle(policy: policy).run(
                client: client, now: later, dryRun: true, logger: Self.logger)
            #expect(dry.partitionsDropped.filter { $0.table == "dl_windows" }.map(\.rows) == [2, 2, 2])
            #expect(try await LifecycleReadings.rows(RollupTable.windows, client: client) == rowsBefore)
            #expect(try await Self.partitionNames("dl_windows", client: client).count == 6)
            let report = try await StorageLifecycle(policy: policy).run(client: client, now: later, logger: Self.logger)
            #expect(
                try await LifecycleReadings.rows(RollupTable.windows, client: client).count == rowsBefore.count - 6 - 8)
            let dropped = report.partitionsDropped.filter { $0.table == "dl_windows" }
            #expect(dropped.map(\.rangeStart) == [4, 5, 6].map { Self.baseWeek + $0 * Self.week })
            #expect(dropped.map(\.rows) == [2, 2, 2])
            #expect(report.deletions.first { $0.table == "dl_windows" && $0.retentionClass == .hourWindows }?.rows == 8)
            #expect(
                try await Self.partitionNames("dl_windows", client: client).first == "dl_windows_p20260112")
            #expect(
                try await LifecycleReadings.texts(
                    "SELECT extract(epoch FROM window_start)::int8::text FROM dl_windows", client: client)
                    == windows.keys.map(\.windowStart).filter { $0 >= Self.baseWeek + 7 * Self.week }.map { "\($0)" }
                    .sorted())
            #expect(
                report.lines.contains(
                    "dl_windows: drop the partition of the week of 2025-12-22 (2 rows past retention)"))
        }
    }
}
