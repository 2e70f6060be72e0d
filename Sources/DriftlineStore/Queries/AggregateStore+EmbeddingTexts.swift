import DriftlineStats
import PostgresNIO

extension AggregateStore {
    /// Embeds up to `limit` queued texts (`dl_embedding_texts`, oldest first) with `embed` and
    /// stores their vectors, in one transaction: each vector joins its window's bottom-k sample
    /// (`dl_embedding_samples`) and, when it was not there yet, its window's count and sum
    /// (`dl_embedding_windows`); the texts leave the queue. Rows another instance is embedding
    /// are skipped (`FOR UPDATE SKIP LOCKED`), so instances share the queue and none embeds a text
    /// twice. Returns how many texts were taken.
    ///
    /// `embed` gets the texts in queue order and must return one vector per text, of
    /// `dimension` elements each, all finite; otherwise nothing is stored and it throws.
    public func embedQueuedTexts(
        limit: Int, dimension: Int, embed: @Sendable ([String]) throws -> [[Float]]
    ) async throws -> Int {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT extract(epoch FROM window_start)::int8, window_seconds, model, provider, app, route, tenant,
                       user_id, team, environment, model_version, labels::text, sample_hash, text
                FROM dl_embedding_texts
                WHERE dimension = \(Int32(dimension))
                ORDER BY queued_at, sample_hash
                LIMIT \(Int64(limit))
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect()
            var keys: [WindowKey] = []
            var hashes: [Int64] = []
            var texts: [String] = []
            for row in rows {
                let columns = try row.decode(
                    (
                        Int64, Int32, String, String, String, String, String, String, String, String, String, String,
                        Int64, String
                    ).self)
                keys.append(
                    WindowKey(
                        windowStart: columns.0, windowSeconds: columns.1, model: columns.2, provider: columns.3,
                        app: columns.4, route: columns.5, tenant: columns.6, user: columns.7, team: columns.8,
                        environment: columns.9, modelVersion: columns.10, labelsJSON: columns.11))
                hashes.append(columns.12)
                texts.append(columns.13)
            }
            guard !texts.isEmpty else { return 0 }
            let vectors = try embed(texts)
            guard vectors.count == texts.count,
                vectors.allSatisfy({ $0.count == dimension && $0.allSatisfy(\.isFinite) })
            else {
                throw StoreError(
                    .invalidData,
                    "the sentence encoder returned \(vectors.count) vectors for \(texts.count) texts, "
                        + "or a vector not of \(dimension) finite elements")
            }
            var binds = PostgresBindings(capacity: WindowKeySQL.count + 3)
            binds.appendKeyColumns(keys)
            binds.append(hashes)
            binds.append(vectors.map { EmbeddingRows.arrayLiteral($0) })
            binds.append(Int32(dimension))
            let n = WindowKeySQL.count
            // The vectors that were new in the sample, with their index in the batch.
            let inserted = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        WITH batch AS (
                            SELECT i - 1 AS i, \(WindowKeySQL.selectedAsColumns), h, v
                            FROM unnest(\(WindowKeySQL.unnestArguments(["int8", "text"])))
                                WITH ORDINALITY AS t(\(WindowKeySQL.aliases), h, v, i)
                        ), stored AS (
                            INSERT INTO dl_embedding_samples (\(WindowKeySQL.columns), dimension, sample_hash, vector)
                            SELECT \(WindowKeySQL.columns), $\(n + 3), h, v::float4[] FROM batch
                            ON CONFLICT DO NOTHING
                            RETURNING \(WindowKeySQL.columns), sample_hash
                        )
                        SELECT batch.i FROM batch JOIN stored USING (\(WindowKeySQL.columns))
                        WHERE stored.sample_hash = batch.h
                        """, binds: binds),
                logger: logger
            ).collect().map { try $0.decode(Int64.self) }
            var sums: [WindowKey: EmbeddingSum] = [:]
            for index in inserted.map(Int.init) {
                if sums[keys[index]] == nil { sums[keys[index]] = try EmbeddingSum(dimension: dimension) }
                try sums[keys[index]]!.add(vectors[index])
            }
            try await EmbeddingRows(sums: sums, sampleSize: 0).write(on: connection, logger: logger)
            var done = PostgresBindings(capacity: WindowKeySQL.count + 2)
            done.appendKeyColumns(keys)
            done.append(hashes)
            done.append(Int32(dimension))
            try await AggregateStore.query(
                connection,
                """
                DELETE FROM dl_embedding_texts
                WHERE (\(WindowKeySQL.columns), dimension, sample_hash) IN (
                    SELECT \(WindowKeySQL.selected), $\(n + 2), h
                    FROM unnest(\(WindowKeySQL.unnestArguments(["int8"]))) AS t(\(WindowKeySQL.aliases), h))
                """, done, logger: logger)
            return texts.count
        }
    }
}
