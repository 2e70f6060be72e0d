import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// `driftline_reader`: created by the migrations, idempotent, granted SELECT on every dl_ table
/// and view and EXECUTE on every dl_ function (also on what later migrations add), never write;
/// and the compose init script that gives Grafana a login in it.
@Suite("Reader role", .serialized)
struct ReaderRoleTests {
    static func values<T: PostgresDecodable & Sendable>(_ client: PostgresClient, _ sql: String, as: T.Type)
        async throws -> [T]
    {
        var result: [T] = []
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(T.self) {
            result.append(value)
        }
        return result
    }

    @Test func theRoleReadsEveryTableViewAndFunctionAndWritesNothing() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            try await Migrator().migrate(client: client, logger: logger)
            // Again, as another member starting would: nothing pending, nothing fails.
            #expect(try await Migrator().migrate(client: client, logger: logger) == [])
            #expect(try await Self.values(client, "SELECT dl_grant_reader()", as: Bool.self) == [true])
            #expect(
                try await Self.values(
                    client, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'driftline_reader'", as: Bool.self)
                    == [false])
            // A table created after the migration, as a later migration would.
            _ = try await client.query("CREATE TABLE dl_later (x int)")
            let relations = try await Self.values(
                client,
                """
                SELECT c.relname || ':' || has_table_privilege('driftline_reader', c.oid, 'SELECT')
                       || ':' || has_table_privilege('driftline_reader', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
                FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'dl\\_%'
                  AND c.relkind IN ('r', 'p', 'v', 'm')
                ORDER BY 1
                """, as: String.self)
            #expect(relations.count >= 25)
            for relation in relations {
                #expect(relation.hasSuffix(":true:false"), "driftline_reader on \(relation) (select:write)")
            }
            for view in [
                "dl_latency_minute", "dl_latency_hour", "dl_spend_daily", "dl_spend_daily_by_dimension", "dl_drift_psi",
                "dl_alerts_current", "dl_alert_events", "dl_changes", "dl_later",
            ] {
                #expect(relations.contains { $0.hasPrefix(view + ":") }, "\(view) is missing")
            }
            let functions = try await Self.values(
                client,
                """
                SELECT p.oid::regprocedure::text || ':' || has_function_privilege('driftline_reader', p.oid, 'EXECUTE')
                FROM pg_proc p
                WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'dl\\_%'
                """, as: String.self)
            #expect(functions.contains { $0.hasPrefix("dl_hist_quantile(") })
            #expect(functions.contains { $0.hasPrefix("dl_hist_merge_agg(") })
            for function in functions { #expect(function.hasSuffix(":true"), "\(function)") }
        }
    }

    /// A least-privilege migrating user (no CREATEROLE, no superuser) that owns its database
    /// migrates it: the role exists in the cluster already and its own tables are granted.
    @Test func aUserWithoutCreateRoleMigratesAndGrants() async throws {
        try await withTestClient { admin, database in
            _ = try await admin.query(
                """
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sqlsurface_owner') THEN
                        CREATE ROLE sqlsurface_owner LOGIN NOSUPERUSER NOCREATEROLE;
                    END IF;
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'driftline_reader') THEN
                        CREATE ROLE driftline_reader NOLOGIN;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;  -- created by a test running at the same time
                END $$
                """)
            _ = try await admin.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(database.database) OWNER TO sqlsurface_owner"))
            _ = try await admin.query("ALTER SCHEMA public OWNER TO sqlsurface_owner")
            var configuration = database.clientConfiguration
            configuration.username = "sqlsurface_owner"
            configuration.password = nil
            let owner = PostgresClient(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await owner.run() }
                defer { group.cancelAll() }
                try await Migrator().migrate(client: owner, logger: TestLogging.logger("test"))
                #expect(
                    try await Self.values(
                        owner, "SELECT has_table_privilege('driftline_reader', 'dl_latency_hour', 'SELECT')",
                        as: Bool.self) == [true])
                #expect(
                    try await Self.values(
                        owner, "SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user", as: Bool.self)
                        == [false])
            }
        }
    }

    /// compose's Postgres init script gives Grafana's datasource user a login in driftline_reader.
    @Test func theComposeInitScriptGivesGrafanaAReadOnlyLogin() async throws {
        let script = try String(
            contentsOf: repositoryRoot.appendingPathComponent("dashboards/postgres-init/10-grafana-reader.sql"),
            encoding: .utf8)
        try await withTestClient { client, database in
            // Run before the migration (a new volume) and again after it (a volume migrated before).
            for statement in Self.statements(script) { _ = try await client.query(PostgresQuery(unsafeSQL: statement)) }
            try await Migrator().migrate(client: client, logger: TestLogging.logger("test"))
            for statement in Self.statements(script) { _ = try await client.query(PostgresQuery(unsafeSQL: statement)) }
            var configuration = database.clientConfiguration
            configuration.username = "grafana"
            configuration.password = nil
            let grafana = PostgresClient(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await grafana.run() }
                defer { group.cancelAll() }
                let rows = try await Self.values(grafana, "SELECT count(*) FROM dl_latency_minute", as: Int64.self)
                #expect(rows == [0])
                await #expect(throws: (any Error).self) {
                    try await grafana.query("INSERT INTO dl_budgets VALUES ('x', 'team', 'y', 'daily', 1)")
                }
            }
        }
    }

    /// The statements of a psql script: split at `;` outside dollar quotes, comments dropped.
    static func statements(_ script: String) -> [String] {
        let lines = script.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        let text = lines.joined(separator: "\n")
        var statements: [String] = []
        var current = ""
        var inDollar = false
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("$$") {
                inDollar.toggle()
                current += "$$"
                index = text.index(index, offsetBy: 2)
                continue
            }
            if text[index] == ";" && !inDollar {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            } else {
                current.append(text[index])
            }
            index = text.index(after: index)
        }
        return statements.filter { !$0.isEmpty }
    }
}
