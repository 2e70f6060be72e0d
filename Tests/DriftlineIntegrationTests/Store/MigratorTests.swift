import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlineStore

@Suite("Migrations")
struct MigratorTests {
    @Test func applyingTwiceIsANoOp() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let first = try await Migrator().migrate(client: client, logger: logger)
            #expect(first == Migration.all.map(\.version))
            let second = try await Migrator().migrate(client: client, logger: logger)
            #expect(second.isEmpty)
        }
    }

    /// Two processes starting together: the advisory lock serialises them, each migration is
    /// applied exactly once and neither fails.
    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await withTestDatabase { database in
            let logger = TestLogging.logger("test")
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let client = PostgresClient(configuration: database.clientConfiguration)
                        return try await withThrowingTaskGroup(of: [Int].self) { inner in
                            inner.addTask {
                                await client.run()
                                return []
                            }
                            let applied = try await Migrator().migrate(client: client, logger: logger)
                            inner.cancelAll()
                            return applied
                        }
                    }
                }
                var all: [[Int]] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.flatMap { $0 }.sorted() == Migration.all.map(\.version))
        }
    }

    /// A run rolled back by a serialization failure (the reader role created by a migration of
    /// another database at the same moment) is run again; one that keeps failing gives up after
    /// `Migrator.attempts` and names the migration. A sequence counts the runs: it is not rolled back.
    @Test func aSerializationFailureIsRunAgainAndThenGivenUp() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            try await client.query("CREATE SEQUENCE migrator_runs")
            func failing(until runs: Int) -> Migration {
                Migration(
                    version: 1, name: "fails \(runs) times",
                    statements: [
                        """
                        DO $$ BEGIN
                            IF nextval('migrator_runs') <= \(runs) THEN
                                RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = 'raced';
                            END IF;
                        END $$
                        """
                    ])
            }
            let applied = try await Migrator(migrations: [failing(until: Migrator.attempts - 1)])
                .migrate(client: client, logger: logger)
            #expect(applied == [1])
            let runs = try await client.query("SELECT last_value FROM migrator_runs")
            for try await value in runs.decode(Int64.self) { #expect(value == Int64(Migrator.attempts)) }

            try await client.query("DELETE FROM dl_schema_migrations")
            try await client.query("ALTER SEQUENCE migrator_runs RESTART")
            do {
                try await Migrator(migrations: [failing(until: Migrator.attempts)]).migrate(
                    client: client, logger: logger)
                Issue.record("a migration that always fails was applied")
            } catch let error as StoreError {
                #expect(error.code == .migrationFailed)
                #expect("\(error)".contains("migration 1 (fails \(Migrator.attempts) times) failed"))
            }
            let count = try await client.query("SELECT count(*) FROM dl_schema_migrations")
            for try await value in count.decode(Int64.self) { #expect(value == 0) }
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            try await Migrator().migrate(client: client, logger: logger)
            try await client.query("INSERT INTO dl_schema_migrations (version, name) VALUES (999, 'from the future')")
            await #expect(throws: StoreError.self) { try await Migrator().migrate(client: client, logger: logger) }
        }
    }
}
