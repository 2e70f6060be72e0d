import Logging
import PostgresNIO

extension AggregateStore {
    /// Adds the span counts of a flush to `dl_span_counts` (inside the flush's transaction).
    static func upsertSpanCounts(_ counts: [SpanCountKey: SpanCount], on connection: PostgresConnection, logger: Logger)
        async throws
    {
        guard !counts.isEmpty else { return }
        let rows = counts.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: 7)
        binds.append(rows.map(\.key.windowStart))
        binds.append(rows.map(\.key.windowSeconds))
        binds.append(rows.map { Self.textSafe($0.key.app) })
        binds.append(rows.map { Self.textSafe($0.key.environment) })
        binds.append(rows.map { Self.textSafe($0.key.operation) })
        binds.append(rows.map(\.value.spans))
        binds.append(rows.map(\.value.errors))
        let sql = """
            INSERT INTO dl_span_counts AS c (window_start, window_seconds, app, environment, operation, spans, errors)
            SELECT to_timestamp(ws), wsec, app, environment, operation, spans, errors
            FROM unnest($1::int8[], $2::int4[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[])
                AS t(ws, wsec, app, environment, operation, spans, errors)
            ON CONFLICT (window_start, window_seconds, app, environment, operation)
            DO UPDATE SET spans = dl_sat_add(c.spans, EXCLUDED.spans), errors = dl_sat_add(c.errors, EXCLUDED.errors), updated_at = now()
            """
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }
}
