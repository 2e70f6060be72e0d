public import Logging
public import PostgresNIO

/// Applies the versioned migrations. Safe when several processes start together: the whole
/// run holds a transaction-scoped advisory lock, so the second process waits and then finds
/// every migration applied.
public struct Migrator: Sendable {
    /// An arbitrary constant that names Driftline's migration lock in `pg_locks`.
    static let advisoryLockKey: Int64 = 0x4472_6966_746C_6E65  // "Driftlne"

    public let migrations: [Migration]
    public init(migrations: [Migration] = Migration.all) { self.migrations = migrations }

    /// How often a run that ends in a serialization failure or a deadlock is tried in all.
    static let attempts = 3

    /// Applies what is pending and returns the versions it applied. A run that ends in a
    /// serialization failure or a deadlock (cluster-wide objects such as the reader role, created
    /// by a migration of another database at the same moment) is rolled back and run again.
    @discardableResult
    public func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        var attempt = 1
        while true {
            do {
                return try await migrateInTransaction(client: client, logger: logger)
            } catch let error as PostgresTransactionError {
                // Report what failed inside the transaction, not the transaction wrapper.
                let failure =
                    error.closureError as? StoreError
                    ?? StoreError(.migrationFailed, "migrating the schema failed", underlying: error)
                guard attempt < Self.attempts, Self.isWorthRetrying(error) else { throw failure }
                logger.warning(
                    "migration rolled back by a concurrent one; running it again",
                    metadata: ["attempt": "\(attempt)", "cause": "\(failure)"])
                attempt += 1
            }
        }
    }

    /// A serialization failure (40001) or a deadlock (40P01) inside the transaction.
    static func isWorthRetrying(_ error: PostgresTransactionError) -> Bool {
        let underlying = (error.closureError as? StoreError)?.underlying ?? error.closureError
        guard let state = (underlying as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    private func migrateInTransaction(client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await run(connection, "SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", logger)
            try await run(
                connection,
                """
                CREATE TABLE IF NOT EXISTS dl_schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM dl_schema_migrations", logger: logger
            )
            .decode(Int.self) {
                applied.insert(version)
            }
            if let newest = applied.max(), let known = migrations.map(\.version).max(), newest > known {
                throw StoreError(
                    .newerSchema,
                    "the database has schema version \(newest) but this driftline knows up to \(known); upgrade driftline"
                )
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    do {
                        try await run(connection, statement, logger)
                    } catch {
                        throw StoreError(
                            .migrationFailed, "migration \(migration.version) (\(migration.name)) failed",
                            statement: statement, underlying: error)
                    }
                }
                try await connection.query(
                    "INSERT INTO dl_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                logger.info(
                    "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration.version)
            }
            return done
        }
    }

    private func run(_ connection: PostgresConnection, _ sql: String, _ logger: Logger) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
