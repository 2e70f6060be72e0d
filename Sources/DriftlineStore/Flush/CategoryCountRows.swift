import DriftlineStats
public import Logging
public import PostgresNIO

/// Per-window counts of the categories of categorical features (`dl_category_counts`), the
/// distributions that categorical drift (PSI over categories) compares.
public struct CategoryCountRows: StoredRows {
    public var counts: [CategoryKey: Int64]

    public init(_ counts: [CategoryKey: Int64]) { self.counts = counts }

    public var table: String { "dl_category_counts" }
    public var count: Int { counts.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        guard !counts.isEmpty else { return }
        let rows = counts.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 3)
        binds.appendKeyColumns(rows.map(\.key.window))
        binds.append(rows.map(\.key.feature))
        binds.append(rows.map(\.key.category))
        binds.append(rows.map(\.value))
        let sql = """
            INSERT INTO dl_category_counts AS c (\(WindowKeySQL.columns), feature, category, events)
            SELECT \(WindowKeySQL.selected), feature, category, events
            FROM unnest(\(WindowKeySQL.unnestArguments(["text", "text", "int8"])))
                AS t(\(WindowKeySQL.aliases), feature, category, events)
            ON CONFLICT (\(WindowKeySQL.columns), feature, category)
            DO UPDATE SET events = dl_sat_add(c.events, EXCLUDED.events), updated_at = now()
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    public func split() -> (CategoryCountRows, CategoryCountRows) {
        let (first, second) = halves(counts)
        return (CategoryCountRows(first), CategoryCountRows(second))
    }

    public func describe() -> String { counts.map { "\($0.key): \($0.value)" }.joined(separator: "; ") }
}
