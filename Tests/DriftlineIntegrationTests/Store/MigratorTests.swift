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

    @Test func aNewerSchemaIsRefused() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            try await Migrator().migrate(client: client, logger: logger)
            try await client.query("INSERT INTO dl_schema_migrations (version, name) VALUES (999, 'from the future')")
            await #expect(throws: StoreError.self) { try await Migrator().migrate(client: client, logger: logger) }
        }
    }
}
