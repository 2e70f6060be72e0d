public import DriftlineStats
public import Logging
public import PostgresNIO

/// What the embedding analyser flushes: per window and grouping the count and sum of the
/// vectors (`dl_embedding_windows`, sums add) and the bottom-k sample of them
/// (`dl_embedding_samples`, the `sampleSize` smallest hashes kept).
///
/// With texts to encode (`encode_text`), those go to `dl_embedding_texts`, the queue of the
/// sentence encoder: per window the texts whose hashes are among the `sampleSize` smallest of
/// the window's queued texts and stored sample, and not already in the sample (encoded before:
/// a replay queues nothing twice).
public struct EmbeddingRows: StoredRows {
    public var sums: [WindowKey: EmbeddingSum]
    public var samples: [WindowKey: BottomKSample<[Float]>]
    public var texts: [WindowKey: BottomKSample<String>]
    /// The dimension the texts' vectors will have (the configured one).
    public var textDimension: Int
    /// Items a window's stored sample keeps; rows beyond it are deleted in the same transaction.
    public var sampleSize: Int

    public init(
        sums: [WindowKey: EmbeddingSum] = [:], samples: [WindowKey: BottomKSample<[Float]>] = [:],
        texts: [WindowKey: BottomKSample<String>] = [:], textDimension: Int = 0, sampleSize: Int
    ) {
        self.sums = sums
        self.samples = samples
        self.texts = texts
        self.textDimension = textDimension
        self.sampleSize = sampleSize
    }

    public var table: String { "dl_embedding_windows" }
    public var count: Int { sums.count + samples.count + texts.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await writeSums(on: connection, logger: logger)
        try await writeSamples(on: connection, logger: logger)
        try await writeTexts(on: connection, logger: logger)
    }

    /// Queues the texts not already encoded into the window's sample, then deletes, in the
    /// windows written, every queued text beyond the `sampleSize` smallest hashes of the window's
    /// queue and sample together (it could never enter the window's bottom-k).
    private func writeTexts(on connection: PostgresConnection, logger: Logger) async throws {
        let windows = texts.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !windows.isEmpty else { return }
        var keys: [WindowKey] = []
        var hashes: [Int64] = []
        var bodies: [String] = []
        for (key, sample) in windows {
            for entry in sample.entries {
                keys.append(key)
                hashes.append(entry.hash)
                bodies.append(entry.item)
            }
        }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 3)
        binds.appendKeyColumns(keys)
        binds.append(hashes)
        binds.append(bodies)
        binds.append(Int32(textDimension))
        let n = WindowKeySQL.count
        let sampled = WindowKeySQL.columnNames.map { "s.\($0)" }.joined(separator: ", ")
        let queued = WindowKeySQL.selected(from: "t")
        let insert = """
            INSERT INTO dl_embedding_texts (\(WindowKeySQL.columns), dimension, sample_hash, text)
            SELECT \(queued), $\(n + 3), t.h, t.body
            FROM unnest(\(WindowKeySQL.unnestArguments(["int8", "text"]))) AS t(\(WindowKeySQL.aliases), h, body)
            WHERE NOT EXISTS (
                SELECT FROM dl_embedding_samples s
                WHERE (\(sampled), s.dimension, s.sample_hash) = (\(queued), $\(n + 3), t.h))
            ON CONFLICT DO NOTHING
            """
        try await AggregateStore.query(connection, insert, binds, logger: logger)

        var prune = PostgresBindings(capacity: WindowKeySQL.count + 2)
        prune.appendKeyColumns(windows.map(\.key))
        prune.append(Int32(textDimension))
        prune.append(Int64(sampleSize))
        let written = """
            SELECT \(WindowKeySQL.selected), $\(n + 1)
            FROM unnest(\(WindowKeySQL.unnestArguments([]))) AS t(\(WindowKeySQL.aliases))
            """
        let delete = """
            DELETE FROM dl_embedding_texts
            WHERE (\(WindowKeySQL.columns), dimension, sample_hash) IN (
                SELECT \(WindowKeySQL.columns), dimension, sample_hash FROM (
                    SELECT \(WindowKeySQL.columns), dimension, sample_hash, row_number() OVER (
                        PARTITION BY \(WindowKeySQL.columns), dimension ORDER BY sample_hash) AS n
                    FROM (
                        SELECT \(WindowKeySQL.columns), dimension, sample_hash FROM dl_embedding_samples
                        WHERE (\(WindowKeySQL.columns), dimension) IN (\(written))
                        UNION ALL
                        SELECT \(WindowKeySQL.columns), dimension, sample_hash FROM dl_embedding_texts
                        WHERE (\(WindowKeySQL.columns), dimension) IN (\(written))
                    ) queued_and_sampled
                ) ranked
                WHERE n > $\(n + 2))
            """
        try await AggregateStore.query(connection, delete, prune, logger: logger)
    }

    /// One statement writes every row; each sum travels as an array literal of round-trip decimals.
    private func writeSums(on connection: PostgresConnection, logger: Logger) async throws {
        guard !sums.isEmpty else { return }
        let rows = sums.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 3)
        binds.appendKeyColumns(rows.map(\.key))
        binds.append(rows.map { Int32($0.value.dimension) })
        binds.append(rows.map(\.value.count))
        binds.append(rows.map { Self.arrayLiteral($0.value.sum) })
        let sql = """
            INSERT INTO dl_embedding_windows AS e (\(WindowKeySQL.columns), dimension, vectors, sum)
            SELECT \(WindowKeySQL.selected), dim, n, v::float8[]
            FROM unnest(\(WindowKeySQL.unnestArguments(["int4", "int8", "text"])))
                AS t(\(WindowKeySQL.aliases), dim, n, v)
            ON CONFLICT (\(WindowKeySQL.columns), dimension)
            DO UPDATE SET vectors = dl_sat_add(e.vectors, EXCLUDED.vectors),
                          sum = ARRAY(SELECT x.a + x.b FROM unnest(e.sum, EXCLUDED.sum) WITH ORDINALITY AS x(a, b, i)
                                      ORDER BY x.i),
                          updated_at = now()
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    /// Inserts the kept vectors (a vector already stored under its hash is left as it is) and
    /// deletes, in the windows written, every row beyond the `sampleSize` smallest hashes. An
    /// item of the true bottom-k of a window is in the bottom-k of any subset holding it, so two
    /// members pruning the same window at once never delete it.
    private func writeSamples(on connection: PostgresConnection, logger: Logger) async throws {
        let windows = samples.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !windows.isEmpty else { return }
        var keys: [WindowKey] = []
        var dimensions: [Int32] = []
        var hashes: [Int64] = []
        var vectors: [String] = []
        for (key, sample) in windows {
            for entry in sample.entries {
                keys.append(key)
                dimensions.append(Int32(entry.item.count))
                hashes.append(entry.hash)
                vectors.append(Self.arrayLiteral(entry.item))
            }
        }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 3)
        binds.appendKeyColumns(keys)
        binds.append(dimensions)
        binds.append(hashes)
        binds.append(vectors)
        let insert = """
            INSERT INTO dl_embedding_samples (\(WindowKeySQL.columns), dimension, sample_hash, vector)
            SELECT \(WindowKeySQL.selected), dim, h, v::float4[]
            FROM unnest(\(WindowKeySQL.unnestArguments(["int4", "int8", "text"])))
                AS t(\(WindowKeySQL.aliases), dim, h, v)
            ON CONFLICT DO NOTHING
            """
        try await AggregateStore.query(connection, insert, binds, logger: logger)

        var prune = PostgresBindings(capacity: WindowKeySQL.count + 2)
        // One row per window written; the analyser keeps one dimension per sample.
        let windowKeys: [WindowKey] = windows.map { $0.key }
        let windowDimensions: [Int32] = windows.map { Int32($0.value.entries[0].item.count) }
        prune.appendKeyColumns(windowKeys)
        prune.append(windowDimensions)
        prune.append(Int64(sampleSize))
        let delete = """
            DELETE FROM dl_embedding_samples WHERE ctid IN (
                SELECT ctid FROM (
                    SELECT s.ctid, row_number() OVER (
                        PARTITION BY \(Self.qualified("s")), s.dimension ORDER BY s.sample_hash) AS n
                    FROM dl_embedding_samples s
                    WHERE (\(Self.qualified("s")), s.dimension) IN (
                        SELECT \(WindowKeySQL.selected), dim
                        FROM unnest(\(WindowKeySQL.unnestArguments(["int4"]))) AS t(\(WindowKeySQL.aliases), dim))
                ) ranked WHERE n > $\(WindowKeySQL.count + 2)
            )
            """
        try await AggregateStore.query(connection, delete, prune, logger: logger)
    }

    /// `{x1,x2,…}` with each element in Swift's shortest round-trip form, which PostgreSQL's
    /// float input reads back to the same value: exact, and linear in the rows (slicing one
    /// large bound array per row copied it whole for every row, quadratic in the flush).
    static func arrayLiteral<Element: BinaryFloatingPoint & LosslessStringConvertible>(_ values: [Element]) -> String {
        "{" + values.map { $0.description }.joined(separator: ",") + "}"
    }

    private static func qualified(_ alias: String) -> String {
        WindowKeySQL.columnNames.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// Sums and samples apart first, then halves of either.
    public func split() -> (EmbeddingRows, EmbeddingRows) {
        if !texts.isEmpty, !sums.isEmpty || !samples.isEmpty {
            return (
                EmbeddingRows(sums: sums, samples: samples, sampleSize: sampleSize),
                EmbeddingRows(texts: texts, textDimension: textDimension, sampleSize: sampleSize)
            )
        }
        if !sums.isEmpty, !samples.isEmpty {
            return (
                EmbeddingRows(sums: sums, sampleSize: sampleSize),
                EmbeddingRows(samples: samples, sampleSize: sampleSize)
            )
        }
        let (a, b) = halves(sums)
        let (c, d) = halves(samples)
        let (e, f) = halves(texts)
        return (
            EmbeddingRows(sums: a, samples: c, texts: e, textDimension: textDimension, sampleSize: sampleSize),
            EmbeddingRows(sums: b, samples: d, texts: f, textDimension: textDimension, sampleSize: sampleSize)
        )
    }

    public func describe() -> String {
        let sumText = sums.sorted { $0.key < $1.key }.map {
            "\($0.key): \($0.value.count) vectors of \($0.value.dimension)"
        }
        let sampleText = samples.sorted { $0.key < $1.key }.map { "\($0.key): sample of \($0.value.count)" }
        let queued = texts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.count) texts to encode" }
        return (sumText + sampleText + queued).joined(separator: "; ")
    }
}
