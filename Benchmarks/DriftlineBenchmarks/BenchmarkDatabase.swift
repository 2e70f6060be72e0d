import DriftlineDemo
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging
import PostgresNIO

/// The database of the benchmarks that seed PostgreSQL directly (`--alerts`, `--psi`):
/// `DATABASE_URL`, or else a throwaway local PostgreSQL, migrated, with a warning-level logger.
enum BenchmarkDatabase {
    static func withMigrated<T: Sendable>(
        _ body: @Sendable (PostgresClient, Logger) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "driftline.bench")
        logger.logLevel = .warning
        let (url, local) = try LocalPostgres.databaseURL(environment: ProcessInfo.processInfo.environment)
        defer { local?.stop() }
        return try await withPostgresClient(url: url, logger: logger) { [logger] client in
            try await Migrator().migrate(client: client, logger: logger)
            return try await body(client, logger)
        }
    }
}
