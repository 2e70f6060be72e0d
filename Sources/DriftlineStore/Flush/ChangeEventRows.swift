public import Logging
public import PostgresNIO

/// First appearances of models, model versions and label values (`dl_change_events`): a row per
/// key keeps the earliest event time any flush reported for it, so deployments can annotate the
/// drift and latency panels whatever the order in which partitions are read.
public struct ChangeEventRows: StoredRows {
    public var firstSeen: [ChangeKey: FirstSeen]

    public init(_ firstSeen: [ChangeKey: FirstSeen]) { self.firstSeen = firstSeen }

    public var table: String { "dl_change_events" }
    public var count: Int { firstSeen.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        guard !firstSeen.isEmpty else { return }
        let rows = firstSeen.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: 5)
        binds.append(rows.map(\.key.kind))
        binds.append(rows.map(\.key.subject))
        binds.append(rows.map(\.value.eventTimeMicroseconds))
        binds.append(rows.map(\.value.partition.topic))
        binds.append(rows.map { $0.value.partition.partition })
        let sql = """
            INSERT INTO dl_change_events AS c (kind, subject, first_seen, topic, partition)
            SELECT kind, subject::jsonb, to_timestamp(micros / 1e6), topic, partition
            FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int4[])
                AS t(kind, subject, micros, topic, partition)
            ON CONFLICT (kind, subject) DO UPDATE
            SET first_seen = EXCLUDED.first_seen, topic = EXCLUDED.topic, partition = EXCLUDED.partition
            WHERE EXCLUDED.first_seen < c.first_seen
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    public func split() -> (ChangeEventRows, ChangeEventRows) {
        let (first, second) = halves(firstSeen)
        return (ChangeEventRows(first), ChangeEventRows(second))
    }

    public func describe() -> String {
        firstSeen.map { "\($0.key.kind) \($0.key.subject) at \($0.value.eventTimeMicroseconds)" }
            .joined(separator: "; ")
    }
}
