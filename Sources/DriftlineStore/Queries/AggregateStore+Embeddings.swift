public import DriftlineCore
public import DriftlineStats
import PostgresNIO

/// The per-period embedding sums and samples that centroid drift compares, merged in
/// PostgreSQL from the per-window rows, and the results written back.
extension AggregateStore {
    /// The count and sum of the `dimension`-dimensional vectors per grouping over the windows
    /// starting in `[period)`; the key is the grouping's values as a JSON object (`{}` without).
    /// The sums are added element by element in double precision.
    public func embeddingSums(groupBy: [Dimension], dimension: Int, period: Range<Int64>) async throws
        -> [String: EmbeddingSum]
    {
        var binds = PostgresBindings(capacity: 3)
        binds.append(period.lowerBound)
        binds.append(period.upperBound)
        binds.append(Int32(dimension))
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH w AS (
                        SELECT \(Self.groupingJSON(groupBy)) AS g, vectors, sum FROM dl_embedding_windows
                        WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2) AND dimension = $3
                    ), n AS (
                        SELECT g, sum(vectors)::int8 AS vectors FROM w GROUP BY g
                    ), e AS (
                        SELECT w.g, u.i, sum(u.v) AS s FROM w, unnest(w.sum) WITH ORDINALITY AS u(v, i) GROUP BY w.g, u.i
                    )
                    SELECT n.g::text, n.vectors, array_agg(e.s ORDER BY e.i)
                    FROM n JOIN e ON e.g = n.g GROUP BY n.g, n.vectors
                    """,
                binds: binds),
            logger: logger)
        var sums: [String: EmbeddingSum] = [:]
        for try await (grouping, count, sum) in rows.decode((String, Int64, [Double]).self) {
            sums[grouping] = try EmbeddingSum(count: count, sum: sum)
        }
        return sums
    }

    /// The bottom-`size` sample of the `dimension`-dimensional vectors per grouping over the
    /// windows starting in `[period)`: the vectors with the `size` smallest hashes, which is the
    /// sample one pass over the whole period would have kept.
    public func embeddingSamples(groupBy: [Dimension], dimension: Int, period: Range<Int64>, size: Int)
        async throws -> [String: [[Float]]]
    {
        var binds = PostgresBindings(capacity: 4)
        binds.append(period.lowerBound)
        binds.append(period.upperBound)
        binds.append(Int32(dimension))
        binds.append(Int64(size))
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT g::text, vector FROM (
                        SELECT \(Self.groupingJSON(groupBy)) AS g, vector,
                               row_number() OVER (PARTITION BY \(Self.groupingJSON(groupBy)) ORDER BY sample_hash) AS n
                        FROM dl_embedding_samples
                        WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2) AND dimension = $3
                    ) s WHERE n <= $4 ORDER BY g, n
                    """,
                binds: binds),
            logger: logger)
        var samples: [String: [[Float]]] = [:]
        for try await (grouping, vector) in rows.decode((String, [Float]).self) {
            samples[grouping, default: []].append(vector)
        }
        return samples
    }

    /// Writes embedding drift results; a result for the same grouping, dimension and periods
    /// replaces the earlier one.
    public func insert(_ results: [EmbeddingDriftResult]) async throws {
        guard !results.isEmpty else { return }
        var binds = PostgresBindings(capacity: 16)
        binds.append(results.map(\.grouping))
        binds.append(results.map { Int32($0.dimension) })
        binds.append(results.map(\.reference.lowerBound))
        binds.append(results.map(\.reference.upperBound))
        binds.append(results.map(\.current.lowerBound))
        binds.append(results.map(\.current.upperBound))
        binds.append(results.map(\.referenceCount))
        binds.append(results.map(\.currentCount))
        // Arrays cannot carry NULLs as bound here: NaN stands for "none" and becomes NULL.
        binds.append(results.map { $0.cosineDistance ?? .nan })
        binds.append(results.map(\.euclideanDistance))
        binds.append(results.map { $0.previousSimilarity ?? .nan })
        binds.append(results.map { $0.mmd ?? .nan })
        binds.append(results.map { $0.mmdBandwidth ?? .nan })
        binds.append(results.map { $0.mmdPValue ?? .nan })
        binds.append(results.map { Int32($0.referenceSample) })
        binds.append(results.map { Int32($0.currentSample) })
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO dl_embedding_drift (grouping, dimension, reference_start, reference_end, current_start,
                        current_end, reference_count, current_count, cosine_distance, euclidean_distance,
                        previous_similarity, mmd, mmd_bandwidth, mmd_p_value, reference_sample, current_sample)
                    SELECT grouping::jsonb, dim, to_timestamp(rs), to_timestamp(re), to_timestamp(cs), to_timestamp(ce),
                           rc, cc, NULLIF(cosd, 'NaN'), eucl, NULLIF(prev, 'NaN'), NULLIF(mmd, 'NaN'),
                           NULLIF(bw, 'NaN'), NULLIF(p, 'NaN'), rsz, csz
                    FROM unnest($1::text[], $2::int4[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
                                $8::int8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[],
                                $14::float8[], $15::int4[], $16::int4[])
                        AS t(grouping, dim, rs, re, cs, ce, rc, cc, cosd, eucl, prev, mmd, bw, p, rsz, csz)
                    ON CONFLICT (grouping, dimension, current_start, current_end, reference_start, reference_end)
                    DO UPDATE SET reference_count = EXCLUDED.reference_count, current_count = EXCLUDED.current_count,
                                  cosine_distance = EXCLUDED.cosine_distance,
                                  euclidean_distance = EXCLUDED.euclidean_distance,
                                  previous_similarity = EXCLUDED.previous_similarity, mmd = EXCLUDED.mmd,
                                  mmd_bandwidth = EXCLUDED.mmd_bandwidth, mmd_p_value = EXCLUDED.mmd_p_value,
                                  reference_sample = EXCLUDED.reference_sample,
                                  current_sample = EXCLUDED.current_sample, evaluated_at = now()
                    """,
                binds: binds),
            logger: logger)
    }
}
