import Logging
import PostgresNIO

extension AggregateStore {
    /// Writes `rows` under a savepoint; when PostgreSQL refuses the data, rolls back to it and
    /// bisects, down to single rows, which are returned as rejected. k refused rows among n cost
    /// about 2·k·log₂ n statements; the fast path (no refused row) costs one savepoint pair.
    static func writeIsolating(_ rows: some StoredRows, on connection: PostgresConnection, logger: Logger)
        async throws -> [RejectedRow]
    {
        try await query(connection, "SAVEPOINT dl_isolate", PostgresBindings(), logger: logger)
        do {
            try await rows.write(on: connection, logger: logger)
            try await query(connection, "RELEASE SAVEPOINT dl_isolate", PostgresBindings(), logger: logger)
            return []
        } catch let error as PSQLError where StoreFailure.Kind(error) == .data {
            try await query(connection, "ROLLBACK TO SAVEPOINT dl_isolate", PostgresBindings(), logger: logger)
            try await query(connection, "RELEASE SAVEPOINT dl_isolate", PostgresBindings(), logger: logger)
            guard rows.count > 1 else {
                return [
                    RejectedRow(
                        table: rows.table, rows: textSafe(String(rows.describe().prefix(4096))),
                        sqlState: error.serverInfo?[.sqlState] ?? "", reason: textSafe(StoreFailure.describe(error)))
                ]
            }
            let (first, second) = rows.split()
            return try await writeIsolating(first, on: connection, logger: logger)
                + writeIsolating(second, on: connection, logger: logger)
        }
    }

    static func insertRejected(
        _ rejected: [RejectedRow], consumerGroup: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !rejected.isEmpty else { return }
        var binds = PostgresBindings(capacity: 5)
        binds.append(consumerGroup)
        binds.append(rejected.map(\.table))
        binds.append(rejected.map(\.rows))
        binds.append(rejected.map(\.sqlState))
        binds.append(rejected.map(\.reason))
        let sql = """
            INSERT INTO dl_rejected_rows (consumer_group, target_table, rows, sqlstate, reason)
            SELECT $1, t, r, s, why FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(t, r, s, why)
            """
        try await query(connection, sql, binds, logger: logger)
    }
}
