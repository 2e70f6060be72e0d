import DriftlineCore
import DriftlineStats
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlineStore

@Suite("Storage lifecycle")
struct StorageLifecycleTests {
    static let logger = TestLogging.logger("lifecycle")
    static let base = LifecycleSeed.base
    /// With rollups after 2 hours, a run at base + 6 h 30 min rolls up hours 0…3 and leaves
    /// hours 4 and 5 at one minute.
    static let now = base + 6 * 3_600 + 1_800
    static let rollupOnly = LifecyclePolicy(rollupAfter: 2 * 3_600, batchHours: 1, retention: [:])
    /// Hour-aligned ranges: inside the rolled hours, across the boundary, the unrolled hours, all.
    static let ranges: [Range<Int64>] = [
        base..<(base + 4 * 3_600), (base + 3_600)..<(base + 3 * 3_600), (base + 2 * 3_600)..<(base + 5 * 3_600),
        (base + 4 * 3_600)..<(base + 6 * 3_600), base..<(base + 6 * 3_600),
    ]

    static func migratedStore(_ client: PostgresClient) async throws -> AggregateStore {
        let store = AggregateStore(client: client, logger: logger)
        try await Migrator().migrate(client: client, logger: logger)
        return store
    }

    static func readings(_ client: PostgresClient) async throws -> [String: [String]] {
        var readings: [String: [String]] = [:]
        for table in RollupTable.all {
            for range in ranges {
                readings["\(table.name) \(range)"] = try await LifecycleReadings.range(table, range, client: client)
            }
        }
        return readings
    }

    /// Sums, counts, quantiles and merged histograms over any whole-hour range are the same
    /// before and after the rollup, in every rolled-up table; and they equal the in-memory model.
    @Test func rollupKeepsEveryRangeExact() async throws {
        try await withTestClient { client, _ in
            let store = try await Self.migratedStore(client)
            let seed = LifecycleSeed()
            try await seed.write(to: store)
            let before = try await Self.readings(client)
            let minuteRowsBefore = try await LifecycleReadings.count(
                "SELECT count(*) FROM dl_windows WHERE window_start < to_timestamp(\(Self.base + 4 * 3_600))",
                client: client)

            let report = try await StorageLifecycle(policy: Self.rollupOnly).run(
                client: client, now: Self.now, logger: Self.logger)

            let after = try await Self.readings(client)
            for key in before.keys.sorted() {
                #expect(before[key]!.count > 0, "\(key) has data")
                #expect(after[key] == before[key], "\(key)")
            }
            // What moved: every one-minute row of hours 0…3 of every table, none after.
            let windows = report.rollups.first { $0.table == "dl_windows" }
            #expect(windows?.subHourRows == minuteRowsBefore)
            #expect(windows?.batches == 4)
            #expect(
                try await LifecycleReadings.count(
                    "SELECT count(*) FROM dl_windows WHERE window_seconds = 60 AND window_start < to_timestamp(\(Self.base + 4 * 3_600))",
                    client: client) == 0)
            #expect(
                try await LifecycleReadings.count(
                    "SELECT count(*) FROM dl_windows WHERE window_seconds = 3600", client: client)
                    == Int64(
                        Set(
                            seed.windows.keys.filter { $0.windowStart < Self.base + 4 * 3_600 }.map {
                                "\($0.windowStart / 3_600) \($0.model) \($0.tenant)"
                            }
                        ).count))
            for table in RollupTable.all {
                let rows = report.rollups.first { $0.table == table.name }
                #expect((rows?.subHourRows ?? 0) > (rows?.hourlyRows ?? 0), "\(table.name)")
                #expect(
                    try await LifecycleReadings.count(
                        "SELECT count(*) FROM \(table.name) WHERE window_seconds = 60 AND window_start < to_timestamp(\(Self.base + 4 * 3_600))",
                        client: client) == 0, "\(table.name)")
            }
            try await Self.expectModel(seed, client: client)
        }
    }

    /// The independent check: requests, error counts and TTFT quantiles per model over each
    /// range, read from the rolled-up table, equal the in-memory merge of the seeded windows.
    static func expectModel(_ seed: LifecycleSeed, client: PostgresClient) async throws {
        for range in ranges {
            let expected = seed.windowsByModel(range)
            let rows = try await client.query(
                """
                SELECT model, sum(requests)::int8, sum(errors)::int8, dl_counts_sum_agg(errors_by_type)::text,
                       dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.5), dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.99),
                       dl_hist_count(dl_hist_merge_agg(latency_ms))
                FROM dl_windows
                WHERE window_start >= to_timestamp(\(range.lowerBound)) AND window_start < to_timestamp(\(range.upperBound))
                GROUP BY model
                """)
            var seen = 0
            for try await (model, requests, errors, _, p50, p99, latencyCount) in rows.decode(
                (String, Int64, Int64, String, Double, Double, Int64).self)
            {
                seen += 1
                let expectedModel = try #require(expected[model])
                #expect(requests == expectedModel.requests)
                #expect(errors == expectedModel.errors)
                #expect(p50 == expectedModel.ttftMilliseconds.quantile(0.5))
                #expect(p99 == expectedModel.ttftMilliseconds.quantile(0.99))
                #expect(UInt64(latencyCount) == expectedModel.latencyMilliseconds.count)
            }
            #expect(seen == expected.count)
        }
    }

    /// A one-minute row that arrives after its hour was rolled up is merged into the hourly row
    /// by the next run; the hourly rows are not duplicated.
    @Test func lateRowsMergeIntoTheHourlyRow() async throws {
        try await withTestClient { client, _ in
            let store = try await Self.migratedStore(client)
            var seed = LifecycleSeed()
            try await seed.write(to: store)
            let lifecycle = StorageLifecycle(policy: Self.rollupOnly)
            _ = try await lifecycle.run(client: client, now: Self.now, logger: Self.logger)
            let hourlyRows = try await LifecycleReadings.count(
                "SELECT count(*) FROM dl_windows WHERE window_seconds = 3600", client: client)

            // Late events for minute 17 of hour 1: keys that have an hourly row, perhaps new ones.
            let hour = Self.base + 3_600
            let rolledKeys = Set(seed.windows.keys.filter { $0.windowStart / 3_600 == hour / 3_600 }.map(Self.name))
            let late = LifecycleSeed(seed: 99, from: hour + 17 * 60, minutes: 1)
            try await late.write(to: store)
            for (key, aggregate) in late.windows { seed.windows[key, default: WindowAggregate()].merge(aggregate) }
            #expect(!late.windows.isEmpty)
            let newHourlyKeys = Set(late.windows.keys.map(Self.name)).subtracting(rolledKeys)

            let report = try await lifecycle.run(client: client, now: Self.now, logger: Self.logger)
            let windows = try #require(report.rollups.first { $0.table == "dl_windows" })
            #expect(windows.subHourRows == Int64(late.windows.count))
            #expect(windows.hourlyRows == Int64(late.windows.count))
            #expect(
                try await LifecycleReadings.count(
                    "SELECT count(*) FROM dl_windows WHERE window_seconds = 3600", client: client)
                    == hourlyRows + Int64(newHourlyKeys.count))
            try await Self.expectModel(seed, client: client)
        }
    }

    static func name(_ key: WindowKey) -> String { "\(key.model) \(key.tenant)" }

    /// A run whose work is done changes nothing; a dry run reports what a run does and leaves the
    /// database as it was.
    @Test func aSecondRunAndADryRunChangeNothing() async throws {
        try await withTestClient { client, _ in
            let store = try await Self.migratedStore(client)
            try await LifecycleSeed().write(to: store)
            let lifecycle = StorageLifecycle(policy: Self.rollupOnly)
            let snapshot = try await Self.allRows(client)
            let dry = try await lifecycle.run(client: client, now: Self.now, dryRun: true, logger: Self.logger)
            #expect(try await Self.allRows(client) == snapshot)
            #expect(!dry.changedNothing)

            var real = try await lifecycle.run(client: client, now: Self.now, logger: Self.logger)
            real.dryRun = true
            #expect(real == dry)
            let rolled = try await Self.allRows(client)
            let second = try await lifecycle.run(client: client, now: Self.now, logger: Self.logger)
            #expect(second.changedNothing)
            #expect(try await Self.allRows(client) == rolled)
        }
    }

    static func allRows(_ client: PostgresClient) async throws -> [String] {
        var rows: [String] = []
        for table in RollupTable.all { rows += try await LifecycleReadings.rows(table, client: client) }
        return rows
    }

    /// Two runs at once on two connections (two clients, as two instances) leave the same rows
    /// as one run on an identical database, and one of them changes nothing.
    @Test func twoConcurrentRunsEqualOne() async throws {
        let single = try await withTestClient { client, _ in
            try await LifecycleSeed().write(to: try await Self.migratedStore(client))
            _ = try await StorageLifecycle(policy: Self.rollupOnly).run(
                client: client, now: Self.now, logger: Self.logger)
            return try await Self.allRows(client)
        }
        try await withTestClient { client, database in
            try await LifecycleSeed().write(to: try await Self.migratedStore(client))
            let other = PostgresClient(configuration: database.clientConfiguration)
            let reports = try await withThrowingTaskGroup(of: [LifecycleReport].self) { group in
                group.addTask {
                    await other.run()
                    return []
                }
                defer { group.cancelAll() }
                return try await withThrowingTaskGroup(of: LifecycleReport.self) { runs in
                    for runner in [client, other] {
                        runs.addTask {
                            try await StorageLifecycle(policy: Self.rollupOnly).run(
                                client: runner, now: Self.now, logger: Self.logger)
                        }
                    }
                    return try await runs.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(reports.count == 2)
            #expect(reports.filter(\.changedNothing).count == 1)
            let moved = reports.flatMap(\.rollups).reduce(Int64(0)) { $0 + $1.subHourRows }
            #expect(moved > 0)
            #expect(try await Self.allRows(client) == single)
        }
    }

    /// Retention deletes exactly the rows past the age of their class, in batches, and nothing
    /// else: minute and hourly windows, dead letters, rejected rows, drift results and
    /// detections, alert history and finished notifications (undelivered ones stay).
    @Test func retentionDeletesOnlyWhatIsPastItsAge() async throws {
        try await withTestClient { client, _ in
            let store = try await Self.migratedStore(client)
            let now = Self.base + 1_000 * 86_400
            let day: Int64 = 86_400
            // Ages in days (plus a minute, so no row sits exactly on a cut-off).
            let minuteAges: [Int64] = [0, 1, 13, 15, 30]
            let hourAges: [Int64] = [20, 399, 401, 900]
            var windows: [WindowKey: WindowAggregate] = [:]
            var single = WindowAggregate()
            single.requests = 1
            for age in minuteAges {
                windows[WindowKey(windowStart: now - age * day - 60, windowSeconds: 60, model: "m")] = single
            }
            for age in hourAges {
                windows[
                    WindowKey(windowStart: Self.hourFloor(now - age * day) - 3_600, windowSeconds: 3_600, model: "m")] =
                    single
            }
            _ = try await store.write(FlushBatch(consumerGroup: "g", windows: windows))
            let eventAges: [Int64] = [1, 29, 31, 399, 401]
            for (index, age) in eventAges.enumerated() {
                let at = now - age * day - 60
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO dl_dead_letters (consumer_group, topic, partition, "offset", error_code, reason, payload_size, received_at)
                            VALUES ('g', 't', 0, \(index), 'bad', 'bad', 0, to_timestamp(\(at)))
                            """))
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO dl_rejected_rows (consumer_group, target_table, rows, sqlstate, reason, rejected_at)
                            VALUES ('g', 'dl_windows', '', '22003', 'r', to_timestamp(\(at)))
                            """))
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO dl_drift_results (feature, grouping, binning, reference_start, reference_end, current_start,
                                current_end, psi, severity, reference_count, current_count, bins)
                            VALUES ('ttft', '{}', 'quantile', to_timestamp(\(at - 7_200)), to_timestamp(\(at - 3_600)),
                                    to_timestamp(\(at - 3_600)), to_timestamp(\(at)), 0.1, 'minor', 1, 1, '[]')
                            """))
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO dl_drift_detections (consumer_group, topic, partition, stream, signal, detector, update_index, event_time)
                            VALUES ('g', 't', 0, '{}', 'ttft', 'adwin', \(index), to_timestamp(\(at)))
                            """))
                try await client.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO dl_alert_history (at, fingerprint, rule, status, severity, labels, annotations, starts_at)
                            VALUES (to_timestamp(\(at)), 'f', 'r', 'firing', 'page', '{}', '{}', to_timestamp(\(at)))
                            """))
                for delivered in [true, false] {
                    try await client.query(
                        PostgresQuery(
                            unsafeSQL: """
                                INSERT INTO dl_alert_outbox (receiver, body, created_at, delivered_at)
                                VALUES ('r', '', to_timestamp(\(at)), \(delivered ? "to_timestamp(\(at))" : "NULL"))
                                """))
                }
            }

            var policy = LifecyclePolicy.default
            policy.rollupAfter = nil
            policy.deleteBatchRows = 2
            let report = try await StorageLifecycle(policy: policy).run(client: client, now: now, logger: Self.logger)

            func ages(_ sql: String) async throws -> [Int64] {
                var ages: [Int64] = []
                for try await seconds in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) {
                    ages.append((now - seconds) / day)
                }
                return ages.sorted()
            }
            func epoch(_ column: String, _ table: String, _ condition: String = "true") -> String {
                "SELECT extract(epoch FROM \(column))::int8 FROM \(table) WHERE \(condition)"
            }
            #expect(try await ages(epoch("window_start", "dl_windows", "window_seconds = 60")) == [0, 1, 13])
            #expect(try await ages(epoch("window_start", "dl_windows", "window_seconds = 3600")) == [20, 399])
            #expect(try await ages(epoch("received_at", "dl_dead_letters")) == [1, 29])
            #expect(try await ages(epoch("rejected_at", "dl_rejected_rows")) == [1, 29])
            #expect(try await ages(epoch("current_end", "dl_drift_results")) == [1, 29, 31, 399])
            #expect(try await ages(epoch("event_time", "dl_drift_detections")) == [1, 29, 31, 399])
            #expect(try await ages(epoch("at", "dl_alert_history")) == [1, 29, 31, 399])
            #expect(
                try await ages(epoch("created_at", "dl_alert_outbox", "delivered_at IS NOT NULL")) == [1, 29, 31, 399])
            #expect(
                try await ages(epoch("created_at", "dl_alert_outbox", "delivered_at IS NULL")) == [1, 29, 31, 399, 401])
            let deleted = Dictionary(grouping: report.deletions.filter { $0.rows > 0 }) { $0.table }
                .mapValues { $0.reduce(Int64(0)) { $0 + $1.rows } }
            #expect(
                deleted == [
                    "dl_windows": 4, "dl_dead_letters": 3, "dl_rejected_rows": 3, "dl_drift_results": 1,
                    "dl_drift_detections": 1, "dl_alert_history": 1, "dl_alert_outbox": 1,
                ])
        }
    }

    static func hourFloor(_ seconds: Int64) -> Int64 { seconds - seconds % 3_600 }

    /// Every table with a `window_seconds` column is registered for rollup, and each registered
    /// table's columns are exactly its key, its merged columns and `updated_at`: a column added
    /// without a merge rule (or a new per-window table left out) fails here.
    @Test func theRegistryCoversEveryWindowTable() async throws {
        try await withTestClient { client, _ in
            _ = try await Self.migratedStore(client)
            let windowTables = try await LifecycleReadings.texts(
                """
                SELECT table_name::text FROM information_schema.columns
                WHERE column_name = 'window_seconds' AND table_schema = current_schema()
                  AND table_name IN (
                      SELECT relname FROM pg_class
                      WHERE relkind IN ('r', 'p') AND NOT relispartition
                        AND relnamespace = current_schema()::regnamespace)
                """, client: client)
            #expect(
                windowTables.filter { !RollupTable.notRolledUp.contains($0) } == RollupTable.all.map(\.name).sorted())
            // Every rolled-up table is partitioned by week (migration 14, or its own migration).
            #expect(
                try await LifecycleReadings.texts(
                    "SELECT relname::text FROM pg_class WHERE relkind = 'p' AND relnamespace = current_schema()::regnamespace",
                    client: client) == RollupTable.all.map(\.name).sorted())
            for table in RollupTable.all {
                let columns = try await LifecycleReadings.texts(
                    "SELECT column_name::text FROM information_schema.columns WHERE table_name = '\(table.name)' AND table_schema = current_schema()",
                    client: client)
                let registered =
                    ["window_start", "window_seconds", "updated_at"] + table.keyColumns + table.merged.map(\.name)
                #expect(columns == registered.sorted(), "\(table.name)")
            }
        }
    }
}
