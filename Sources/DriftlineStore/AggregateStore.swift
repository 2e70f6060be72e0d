import DriftlineStats
import Foundation
public import Logging
public import PostgresNIO

/// Writes flushes (aggregates + dead letters + offsets) in one transaction each, and reads
/// stored offsets. All writes merge: counts add and histograms merge, so late events, several
/// consumers and any number of flushes per window combine correctly.
public struct AggregateStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// Attempts for a flush that hits a deadlock or serialization failure with another writer.
    public var conflictRetries = 5
    /// When set, the ingest loop's calls (flushes, probes, stored offsets, analyser state) use
    /// it instead of the pool, so that they reach a recovered server at once.
    public let ingestConnection: IngestConnection?

    public init(client: PostgresClient, ingestConnection: IngestConnection? = nil, logger: Logger) {
        self.client = client
        self.ingestConnection = ingestConnection
        self.logger = logger
    }

    /// Runs `body` on the ingest connection when there is one, else on a pooled connection.
    func withIngestConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let ingestConnection { return try await ingestConnection.withConnection(body) }
        return try await client.withConnection(body)
    }

    /// Runs `body` in a transaction on `connection`: committed when it returns, rolled back when
    /// it throws — or when the task was cancelled meanwhile (a flush past its deadline), so
    /// that a call given up on commits nothing unless its COMMIT was already on its way.
    public static func transaction<T: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let result = try await body(connection)
            try Task.checkCancellation()
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Writes the batch in one transaction. The offsets go first, conditionally on the stored
    /// offsets being the expected ones (optimistic fencing): a writer that lost its partitions
    /// without noticing, or whose earlier commit went through unacknowledged, gets `.fenced` and
    /// writes nothing, so no record is ever counted twice.
    ///
    /// When PostgreSQL refuses the batch's data (an SQLSTATE of class 22, 23 or 54: a value it
    /// cannot hold, a key too large for its index), the batch is written again with every kind
    /// of rows bisected under savepoints: the refused rows go to `dl_rejected_rows` and the
    /// rest, with the offsets, is stored. Decoders reject such values first; this is the last
    /// line of defence, so that one row never stops a partition.
    public func write(_ batch: FlushBatch) async throws -> FlushOutcome {
        if batch.isEmpty { return .committed }
        var attempt = 0
        var isolating = false
        while true {
            attempt += 1
            do {
                return try await writeOnce(batch, isolating: isolating)
            } catch let error as PSQLError where StoreFailure.Kind(error) == .conflict && attempt < conflictRetries {
                logger.warning(
                    "flush conflicted with another writer; retrying",
                    metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
            } catch let error as PSQLError where StoreFailure.Kind(error) == .data && !isolating {
                logger.warning(
                    "PostgreSQL refused part of a flush's data; writing it again row by row to set the refused rows aside",
                    metadata: ["cause": "\(StoreFailure.describe(error))"])
                isolating = true
            }
        }
    }

    private struct Fenced: Error { var partitions: [SourcePartition] }

    private func writeOnce(_ batch: FlushBatch, isolating: Bool) async throws -> FlushOutcome {
        let logger = self.logger
        do {
            let rejected = try await withIngestConnection { connection in
                try await Self.transaction(on: connection, logger: logger) { connection in
                    let fenced = try await advanceOffsets(batch, on: connection)
                    if !fenced.isEmpty { throw Fenced(partitions: fenced) }
                    guard isolating else {
                        for rows in batch.rows where !rows.isEmpty {
                            try await rows.write(on: connection, logger: logger)
                        }
                        return 0
                    }
                    var rejected: [RejectedRow] = []
                    for rows in batch.rows where !rows.isEmpty {
                        rejected += try await Self.writeIsolating(rows, on: connection, logger: logger)
                    }
                    try await Self.insertRejected(
                        rejected, consumerGroup: batch.consumerGroup, on: connection, logger: logger)
                    return rejected.count
                }
            }
            if rejected > 0 {
                logger.error(
                    "PostgreSQL refused rows of a flush; they are kept in dl_rejected_rows and the rest is stored",
                    metadata: ["rejected_rows": "\(rejected)"])
            }
            return .committed
        } catch let fenced as Fenced {
            return .fenced(fenced.partitions)
        }
    }

    /// A cheap round trip (`SELECT 1`) that tells whether the store is reachable again.
    public func probe() async throws {
        let logger = self.logger
        try await withIngestConnection { _ = try await $0.query("SELECT 1", logger: logger) }
    }

    private func advanceOffsets(_ batch: FlushBatch, on connection: PostgresConnection) async throws
        -> [SourcePartition]
    {
        guard !batch.offsets.isEmpty else { return [] }
        var binds = PostgresBindings(capacity: 7)
        binds.append(batch.consumerGroup)
        binds.append(batch.offsets.map(\.partition.topic))
        binds.append(batch.offsets.map(\.partition.partition))
        binds.append(batch.offsets.map { $0.expected ?? -1 })
        binds.append(batch.offsets.map(\.next))
        binds.append(batch.offsets.map(\.records))
        binds.append(batch.offsets.map(\.deadLetters))
        let sql = """
            WITH input AS (
                SELECT * FROM unnest($2::text[], $3::int4[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
                    AS t(topic, partition, expected, next, records, dead)
            ), updated AS (
                UPDATE dl_consumer_offsets o
                SET next_offset = i.next, records = o.records + i.records,
                    dead_letters = o.dead_letters + i.dead, updated_at = now()
                FROM input i
                WHERE o.consumer_group = $1 AND o.topic = i.topic AND o.partition = i.partition
                  AND i.expected >= 0 AND o.next_offset = i.expected
                RETURNING o.topic, o.partition
            ), inserted AS (
                INSERT INTO dl_consumer_offsets (consumer_group, topic, partition, next_offset, records, dead_letters)
                SELECT $1, topic, partition, next, records, dead FROM input WHERE expected < 0
                ON CONFLICT DO NOTHING
                RETURNING topic, partition
            )
            SELECT topic, partition FROM updated UNION ALL SELECT topic, partition FROM inserted
            """
        var advanced = Set<SourcePartition>()
        let rows = try await query(connection, sql, binds)
        for try await (topic, partition) in rows.decode((String, Int32).self) {
            advanced.insert(SourcePartition(topic: topic, partition: partition))
        }
        return batch.offsets.map(\.partition).filter { !advanced.contains($0) }.sorted()
    }

    static func upsertWindows(
        _ windows: [WindowKey: WindowAggregate], on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !windows.isEmpty else { return }
        let rows = windows.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 14)
        binds.appendKeyColumns(rows.map(\.key))
        binds.append(rows.map(\.value.requests))
        binds.append(rows.map(\.value.errors))
        binds.append(rows.map { Self.countsJSON($0.value.errorsByType) })
        binds.append(rows.map(\.value.lateEvents))
        binds.append(rows.map(\.value.inputTokens))
        binds.append(rows.map(\.value.outputTokens))
        binds.append(rows.map(\.value.cachedInputTokens))
        binds.append(rows.map(\.value.cacheWriteTokens))
        binds.append(rows.map(\.value.reasoningTokens))
        binds.append(rows.map(\.value.ttftMilliseconds.postgresLiteral))
        binds.append(rows.map(\.value.tpotMilliseconds.postgresLiteral))
        binds.append(rows.map(\.value.latencyMilliseconds.postgresLiteral))
        binds.append(rows.map(\.value.inputTokensDistribution.postgresLiteral))
        binds.append(rows.map(\.value.outputTokensDistribution.postgresLiteral))
        let sql = """
            INSERT INTO dl_windows AS w (
                \(WindowKeySQL.columns),
                requests, errors, errors_by_type, late_events, input_tokens, output_tokens,
                cached_input_tokens, cache_write_tokens, reasoning_tokens,
                ttft_ms, tpot_ms, latency_ms, input_tokens_dist, output_tokens_dist)
            SELECT \(WindowKeySQL.selected),
                   requests, errors, errors_by_type::jsonb, late, input_tokens,
                   output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
                   h1::dl_histogram, h2::dl_histogram, h3::dl_histogram, h4::dl_histogram, h5::dl_histogram
            FROM unnest(\(WindowKeySQL.unnestArguments([
                "int8", "int8", "text", "int8", "int8", "int8", "int8", "int8", "int8",
                "text", "text", "text", "text", "text",
            ])))
                AS t(\(WindowKeySQL.aliases),
                     requests, errors, errors_by_type, late, input_tokens, output_tokens,
                     cached_input_tokens, cache_write_tokens, reasoning_tokens, h1, h2, h3, h4, h5)
            ON CONFLICT (\(WindowKeySQL.columns))
            DO UPDATE SET
                requests = dl_sat_add(w.requests, EXCLUDED.requests),
                errors = dl_sat_add(w.errors, EXCLUDED.errors),
                errors_by_type = dl_counts_add(w.errors_by_type, EXCLUDED.errors_by_type),
                late_events = dl_sat_add(w.late_events, EXCLUDED.late_events),
                input_tokens = dl_sat_add(w.input_tokens, EXCLUDED.input_tokens),
                output_tokens = dl_sat_add(w.output_tokens, EXCLUDED.output_tokens),
                cached_input_tokens = dl_sat_add(w.cached_input_tokens, EXCLUDED.cached_input_tokens),
                cache_write_tokens = dl_sat_add(w.cache_write_tokens, EXCLUDED.cache_write_tokens),
                reasoning_tokens = dl_sat_add(w.reasoning_tokens, EXCLUDED.reasoning_tokens),
                ttft_ms = dl_hist_merge(w.ttft_ms, EXCLUDED.ttft_ms),
                tpot_ms = dl_hist_merge(w.tpot_ms, EXCLUDED.tpot_ms),
                latency_ms = dl_hist_merge(w.latency_ms, EXCLUDED.latency_ms),
                input_tokens_dist = dl_hist_merge(w.input_tokens_dist, EXCLUDED.input_tokens_dist),
                output_tokens_dist = dl_hist_merge(w.output_tokens_dist, EXCLUDED.output_tokens_dist),
                updated_at = now()
            """
        try await query(connection, sql, binds, logger: logger)
    }

    static func insertDeadLetters(
        _ letters: [DeadLetter], consumerGroup: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !letters.isEmpty else { return }
        var binds = PostgresBindings(capacity: 12)
        binds.append(consumerGroup)
        binds.append(letters.map(\.partition.topic))
        binds.append(letters.map(\.partition.partition))
        binds.append(letters.map(\.offset))
        binds.append(letters.map { $0.key != nil })
        binds.append(letters.map { Self.hex($0.key ?? []) })
        binds.append(letters.map { $0.timestampMilliseconds ?? -1 })
        binds.append(letters.map(\.errorCode))
        binds.append(letters.map { Self.textSafe($0.reason) })
        binds.append(letters.map { $0.payload != nil })
        binds.append(letters.map { Self.hex($0.payload ?? []) })
        binds.append(letters.map { Int32(clamping: $0.payloadSize) })
        let sql = """
            INSERT INTO dl_dead_letters (consumer_group, topic, partition, "offset", record_key, record_timestamp,
                                         error_code, reason, payload, payload_size)
            SELECT $1, topic, partition, off,
                   CASE WHEN has_key THEN decode(key_hex, 'hex') END,
                   CASE WHEN ts >= 0 THEN to_timestamp(ts / 1000.0) END,
                   code, reason,
                   CASE WHEN has_payload THEN decode(payload_hex, 'hex') END,
                   size
            FROM unnest($2::text[], $3::int4[], $4::int8[], $5::bool[], $6::text[], $7::int8[], $8::text[],
                        $9::text[], $10::bool[], $11::text[], $12::int4[])
                AS t(topic, partition, off, has_key, key_hex, ts, code, reason, has_payload, payload_hex, size)
            ON CONFLICT (consumer_group, topic, partition, "offset") DO NOTHING
            """
        try await query(connection, sql, binds, logger: logger)
    }

    /// The stored next offset of each partition of `topics` for the consumer group.
    public func storedOffsets(group: String, topics: [String]) async throws -> [SourcePartition: Int64] {
        let logger = self.logger
        return try await withIngestConnection { connection in
            let rows = try await connection.query(
                "SELECT topic, partition, next_offset FROM dl_consumer_offsets WHERE consumer_group = \(group) AND topic = ANY(\(topics))",
                logger: logger)
            var offsets: [SourcePartition: Int64] = [:]
            for try await (topic, partition, next) in rows.decode((String, Int32, Int64).self) {
                offsets[SourcePartition(topic: topic, partition: partition)] = next
            }
            return offsets
        }
    }

    @discardableResult
    func query(_ connection: PostgresConnection, _ sql: String, _ binds: PostgresBindings) async throws
        -> PostgresRowSequence
    {
        try await Self.query(connection, sql, binds, logger: logger)
    }

    @discardableResult
    static func query(_ connection: PostgresConnection, _ sql: String, _ binds: PostgresBindings, logger: Logger)
        async throws -> PostgresRowSequence
    {
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    static func countsJSON(_ counts: [String: Int64]) -> String {
        var text = "{"
        for (index, key) in counts.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += jsonString(key) + ":" + String(counts[key] ?? 0)
        }
        return text + "}"
    }

    /// A JSON string literal; also used to build the canonical labels key.
    public static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\uFFFD"  // Postgres text and jsonb cannot hold NUL
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func textSafe(_ text: String) -> String {
        text.contains("\0") ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
