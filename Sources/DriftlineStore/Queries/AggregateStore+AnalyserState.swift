import Logging
import PostgresNIO

extension AggregateStore {
    /// The state `analyser` stored for `partitions` in `group`, by partition and key: what a
    /// partition's detectors were when its offsets were last stored.
    public func analyserState(group: String, analyser: String, partitions: [SourcePartition]) async throws
        -> [SourcePartition: [String: [UInt8]]]
    {
        guard !partitions.isEmpty else { return [:] }
        let topics = partitions.map(\.topic)
        let numbers = partitions.map(\.partition)
        let logger = self.logger
        return try await withIngestConnection { connection in
            let rows = try await connection.query(
                """
                SELECT s.topic, s.partition, s.key, encode(s.state, 'hex')
                FROM dl_analyser_state s
                JOIN unnest(\(topics)::text[], \(numbers)::int4[]) AS p(topic, partition)
                  ON p.topic = s.topic AND p.partition = s.partition
                WHERE s.consumer_group = \(group) AND s.analyser = \(analyser)
                """,
                logger: logger)
            var states: [SourcePartition: [String: [UInt8]]] = [:]
            for try await (topic, partition, key, hex) in rows.decode((String, Int32, String, String).self) {
                states[SourcePartition(topic: topic, partition: partition), default: [:]][key] = Self.bytes(hex: hex)
            }
            return states
        }
    }

    /// Upserts `states` of `analyser` in `group` into `dl_analyser_state`, on the flush's
    /// connection (inside its transaction, with the offsets the states belong to).
    static func writeAnalyserState(
        _ states: [AnalyserStateKey: [UInt8]], group: String, analyser: String, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !states.isEmpty else { return }
        let rows = states.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: 6)
        binds.append(group)
        binds.append(analyser)
        binds.append(rows.map(\.key.partition.topic))
        binds.append(rows.map(\.key.partition.partition))
        binds.append(rows.map(\.key.key))
        binds.append(rows.map { hex($0.value) })
        let sql = """
            INSERT INTO dl_analyser_state AS s (consumer_group, analyser, topic, partition, key, state)
            SELECT $1, $2, topic, partition, key, decode(state, 'hex')
            FROM unnest($3::text[], $4::int4[], $5::text[], $6::text[]) AS t(topic, partition, key, state)
            ON CONFLICT (consumer_group, analyser, topic, partition, key)
            DO UPDATE SET state = EXCLUDED.state, updated_at = now()
            """
        try await query(connection, sql, binds, logger: logger)
    }

    /// The bytes of lowercase hex digits as PostgreSQL's `encode(…, 'hex')` writes them.
    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for digit in hex.utf8 {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            default: continue
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}
