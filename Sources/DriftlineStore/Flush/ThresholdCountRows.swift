public import Logging
public import PostgresNIO

/// Per-window exact counts of events at or below each latency threshold an SLO declares
/// (`dl_threshold_counts`), the good events of latency SLIs.
public struct ThresholdCountRows: StoredRows {
    public var counts: [ThresholdCountKey: ThresholdCount]

    public init(_ counts: [ThresholdCountKey: ThresholdCount]) { self.counts = counts }

    public var table: String { "dl_threshold_counts" }
    public var count: Int { counts.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        guard !counts.isEmpty else { return }
        let rows = counts.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 4)
        binds.appendKeyColumns(rows.map(\.key.window))
        binds.append(rows.map(\.key.metric))
        binds.append(rows.map(\.key.thresholdMilliseconds))
        binds.append(rows.map(\.value.measured))
        binds.append(rows.map(\.value.atOrBelow))
        let sql = """
            INSERT INTO dl_threshold_counts AS c (\(WindowKeySQL.columns), metric, threshold_ms, measured, at_or_below)
            SELECT \(WindowKeySQL.selected), metric, threshold_ms, measured, at_or_below
            FROM unnest(\(WindowKeySQL.unnestArguments(["text", "float8", "int8", "int8"])))
                AS t(\(WindowKeySQL.aliases), metric, threshold_ms, measured, at_or_below)
            ON CONFLICT (\(WindowKeySQL.columns), metric, threshold_ms)
            DO UPDATE SET measured = dl_sat_add(c.measured, EXCLUDED.measured),
                          at_or_below = dl_sat_add(c.at_or_below, EXCLUDED.at_or_below), updated_at = now()
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    public func split() -> (ThresholdCountRows, ThresholdCountRows) {
        let (first, second) = halves(counts)
        return (ThresholdCountRows(first), ThresholdCountRows(second))
    }

    public func describe() -> String {
        counts.map { "\($0.key): \($0.value.atOrBelow)/\($0.value.measured)" }.joined(separator: "; ")
    }
}
