import DriftlineStats
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import DriftlineStore

/// The SQL functions against the Swift implementation, which is itself checked against brute force in
/// `DriftlineStatsTests`: same merge, and quantiles, counts and means equal to 1e-12 (in practice to the bit).
@Suite("Histogram SQL")
struct HistogramSQLTests {
    /// Histograms of varied shapes: latency-like, far-apart modes, zeros, a single value, an empty one,
    /// and different scales (so the SQL merge must downscale, including negative indexes).
    static func sampleHistograms() -> [ExponentialHistogram] {
        var rng = SplitMix64(seed: 2024)
        var result: [ExponentialHistogram] = []
        for part in 0..<12 {
            var h = ExponentialHistogram(scale: part % 4 == 3 ? 8 : ExponentialHistogram.defaultScale)
            for _ in 0..<(500 + part * 300) {
                switch part % 3 {
                case 0: h.record(rng.logNormal(median: 250, sigma: 0.9))
                case 1:
                    h.record(
                        rng.uniform() < 0.7
                            ? rng.logNormal(median: 0.04, sigma: 0.3) : rng.logNormal(median: 8_000, sigma: 0.4))
                default: h.record(rng.uniform() < 0.1 ? 0 : Double(Int(rng.uniform() * 4_000)))
                }
            }
            result.append(h)
        }
        var single = ExponentialHistogram()
        single.record(42.5)
        result.append(single)
        result.append(ExponentialHistogram())
        return result
    }

    static func createDefinitions(_ client: PostgresClient) async throws {
        for statement in HistogramSQL.statements {
            try await client.query(PostgresQuery(unsafeSQL: statement))
        }
    }

    static func withHistograms(
        _ histograms: [ExponentialHistogram], _ body: @Sendable (PostgresClient) async throws -> Void
    ) async throws {
        try await withTestClient { client, _ in
            // Twice: the migration must be re-runnable.
            try await createDefinitions(client)
            try await createDefinitions(client)
            try await client.query("CREATE TABLE hists (id int PRIMARY KEY, grp int NOT NULL, h dl_histogram)")
            let literals = histograms.map(\.postgresLiteral)
            let ids = (0..<histograms.count).map { Int32($0) }
            try await client.query(
                """
                INSERT INTO hists (id, grp, h)
                SELECT id, id % 2, lit::dl_histogram FROM unnest(\(ids)::int4[], \(literals)::text[]) AS t(id, lit)
                """)
            try await body(client)
        }
    }

    static func mergedInSwift(_ histograms: some Sequence<ExponentialHistogram>) -> ExponentialHistogram? {
        var iterator = histograms.makeIterator()
        guard var merged = iterator.next() else { return nil }
        while let next = iterator.next() { merged.merge(next) }
        return merged
    }

    static func expectSameContent(
        _ a: ExponentialHistogram, _ b: ExponentialHistogram, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.scale == b.scale, sourceLocation: sourceLocation)
        #expect(a.zeroCount == b.zeroCount, sourceLocation: sourceLocation)
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        #expect(a.min == b.min, sourceLocation: sourceLocation)
        #expect(a.max == b.max, sourceLocation: sourceLocation)
        #expect(a.buckets == b.buckets, sourceLocation: sourceLocation)
        #expect(abs(a.sum - b.sum) <= 1e-12 * Swift.max(abs(a.sum), abs(b.sum)), sourceLocation: sourceLocation)
    }

    static func relativeDifference(_ a: Double, _ b: Double) -> Double {
        a == b ? 0 : abs(a - b) / Swift.max(abs(a), abs(b))
    }

    static let quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1]

    @Test func literalRoundTripsThroughPostgres() async throws {
        let histograms = Self.sampleHistograms()
        try await Self.withHistograms(histograms) { client in
            let rows = try await client.query("SELECT id, h::text FROM hists ORDER BY id")
            var seen = 0
            for try await (id, text) in rows.decode((Int, String).self) {
                let parsed = try ExponentialHistogram(postgresLiteral: text)
                #expect(parsed == histograms[id], "row \(id): \(text.prefix(100))")
                seen += 1
            }
            #expect(seen == histograms.count)
        }
    }

    @Test func mergeAggregateEqualsSwiftMerge() async throws {
        let histograms = Self.sampleHistograms()
        try await Self.withHistograms(histograms) { client in
            let rows = try await client.query("SELECT dl_hist_merge_agg(h ORDER BY id)::text FROM hists")
            for try await text in rows.decode(String.self) {
                Self.expectSameContent(try ExponentialHistogram(postgresLiteral: text), Self.mergedInSwift(histograms)!)
            }
            let grouped = try await client.query(
                "SELECT grp, dl_hist_merge_agg(h ORDER BY id)::text FROM hists GROUP BY grp ORDER BY grp")
            var groups = 0
            for try await (grp, text) in grouped.decode((Int, String).self) {
                let expected = Self.mergedInSwift(histograms.indices.filter { $0 % 2 == grp }.map { histograms[$0] })!
                Self.expectSameContent(try ExponentialHistogram(postgresLiteral: text), expected)
                groups += 1
            }
            #expect(groups == 2)
        }
    }

    /// A parallel plan runs the aggregate in partial steps joined by the combine function.
    @Test func parallelMergeAggregateEqualsSwiftMerge() async throws {
        let histograms = Self.sampleHistograms()
        let copies = 40
        // The table holds the originals and `copies` more of each.
        var expected = ExponentialHistogram()
        for _ in 0...copies {
            for h in histograms { expected.merge(h) }
        }
        let merged = expected
        try await Self.withHistograms(histograms) { client in
            try await client.withConnection { connection in
                let logger = connection.logger
                try await connection.query(
                    "INSERT INTO hists SELECT id + 100 * c, grp, h FROM hists, generate_series(1, \(copies)) AS c",
                    logger: logger)
                try await connection.query("ANALYZE hists", logger: logger)
                for setting in [
                    "parallel_setup_cost = 0", "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0",
                    "max_parallel_workers_per_gather = 2",
                ] {
                    try await connection.query(PostgresQuery(unsafeSQL: "SET \(setting)"), logger: logger)
                }
                var plan = ""
                for try await line in try await connection.query(
                    "EXPLAIN SELECT dl_hist_merge_agg(h) FROM hists", logger: logger
                ).decode(String.self) {
                    plan += line + "\n"
                }
                #expect(plan.contains("Partial Aggregate"), "\(plan)")
                let rows = try await connection.query(
                    "SELECT dl_hist_merge_agg(h)::text FROM hists", logger: logger)
                var seen = 0
                for try await text in rows.decode(String.self) {
                    Self.expectSameContent(try ExponentialHistogram(postgresLiteral: text), merged)
                    seen += 1
                }
                #expect(seen == 1)
            }
        }
    }

    @Test func pairwiseMergeEqualsSwiftMergeAndToleratesNull() async throws {
        let histograms = Self.sampleHistograms()
        try await Self.withHistograms(histograms) { client in
            let rows = try await client.query(
                """
                SELECT a.id, b.id, dl_hist_merge(a.h, b.h)::text
                FROM hists a JOIN hists b ON b.id IN (a.id + 1, a.id + 3, (a.id * 5) % 14)
                """)
            var pairs = 0
            for try await (i, j, text) in rows.decode((Int, Int, String).self) {
                var expected = histograms[i]
                expected.merge(histograms[j])
                #expect(try ExponentialHistogram(postgresLiteral: text) == expected, "merge(\(i), \(j))")
                pairs += 1
            }
            #expect(pairs > 20)

            let nulls = try await client.query(
                """
                SELECT dl_hist_merge(NULL, h)::text, dl_hist_merge(h, NULL)::text, dl_hist_merge(NULL, NULL) IS NULL,
                       (SELECT dl_hist_merge_agg(NULL::dl_histogram) IS NULL),
                       (SELECT dl_hist_merge_agg(x) IS NULL FROM hists AS y(i, g, x) WHERE false)
                FROM hists WHERE id = 0
                """)
            for try await (left, right, bothNull, aggOfNull, aggOfNone) in nulls.decode(
                (String, String, Bool, Bool, Bool).self)
            {
                #expect(try ExponentialHistogram(postgresLiteral: left) == histograms[0])
                #expect(try ExponentialHistogram(postgresLiteral: right) == histograms[0])
                #expect(bothNull && aggOfNull && aggOfNone)
            }
        }
    }

    @Test func quantilesCountsAndMeansAgreeWithSwift() async throws {
        let histograms = Self.sampleHistograms()
        let merged = Self.mergedInSwift(histograms)!
        var thresholds: [Double] = [-1, 0, 0.04, 1, 2, 4, 1024, 2_500, merged.max, merged.max * 2]
        var rng = SplitMix64(seed: 99)
        for _ in 0..<200 {
            thresholds.append(pow(2, -6 + 22 * rng.uniform()))
        }
        // Bucket boundaries and their neighbours: where a wrong index would show.
        for index in stride(from: Int32(-400), through: 900, by: 37) {
            let boundary = ExponentialHistogram.lowerBoundary(of: index, scale: merged.scale)
            thresholds += [boundary, boundary.nextUp, boundary.nextDown]
        }
        let qs = Self.quantiles
        let ts = thresholds
        try await Self.withHistograms(histograms) { client in
            let rows = try await client.query(
                """
                WITH m AS (SELECT dl_hist_merge_agg(h ORDER BY id) AS h FROM hists)
                SELECT q, dl_hist_quantile(m.h, q) FROM m, unnest(\(qs)::float8[]) AS q
                """)
            var checked = 0
            for try await (q, sqlValue) in rows.decode((Double, Double).self) {
                let swiftValue = merged.quantile(q)!
                #expect(
                    Self.relativeDifference(sqlValue, swiftValue) <= 1e-12,
                    "q=\(q): SQL \(sqlValue), Swift \(swiftValue)")
                checked += 1
            }
            #expect(checked == qs.count)

            let counts = try await client.query(
                """
                WITH m AS (SELECT dl_hist_merge_agg(h ORDER BY id) AS h FROM hists)
                SELECT t, dl_hist_count_le(m.h, t) FROM m, unnest(\(ts)::float8[]) AS t
                """)
            checked = 0
            for try await (t, sqlCount) in counts.decode((Double, Int64).self) {
                #expect(UInt64(sqlCount) == merged.count(atOrBelow: t), "threshold \(t)")
                checked += 1
            }
            #expect(checked == ts.count)

            let summary = try await client.query(
                """
                WITH m AS (SELECT dl_hist_merge_agg(h ORDER BY id) AS h FROM hists)
                SELECT dl_hist_mean(m.h), dl_hist_count(m.h), dl_hist_count_le(m.h, 'NaN'),
                       dl_hist_quantile(m.h, 'NaN') IS NULL, dl_hist_count_le(m.h, 'Infinity')
                FROM m
                """)
            for try await (mean, count, nanCount, nanQuantileIsNull, infCount) in summary.decode(
                (Double, Int64, Int64, Bool, Int64).self)
            {
                #expect(Self.relativeDifference(mean, merged.mean!) <= 1e-12)
                #expect(UInt64(count) == merged.count)
                #expect(nanCount == 0 && nanQuantileIsNull && UInt64(infCount) == merged.count)
            }
        }
    }

    @Test func everyHistogramReadsTheSameInSQLAndSwift() async throws {
        let histograms = Self.sampleHistograms()
        let qs = Self.quantiles
        try await Self.withHistograms(histograms) { client in
            let rows = try await client.query(
                """
                SELECT id, q, dl_hist_quantile(h, q), dl_hist_mean(h), dl_hist_count_le(h, q * 1000)
                FROM hists, unnest(\(qs)::float8[]) AS q
                """)
            for try await (id, q, quantile, mean, countLE) in rows.decode(
                (Int, Double, Double?, Double?, Int64).self)
            {
                let h = histograms[id]
                #expect(
                    quantile.map { Self.relativeDifference($0, h.quantile(q)!) <= 1e-12 } ?? (h.quantile(q) == nil),
                    "row \(id) q=\(q)")
                #expect(mean.map { Self.relativeDifference($0, h.mean!) <= 1e-12 } ?? (h.mean == nil), "row \(id)")
                #expect(UInt64(countLE) == h.count(atOrBelow: q * 1000), "row \(id) t=\(q * 1000)")
            }
        }
    }

    @Test func bucketMappingMatchesSwiftIncludingPowersOfTwo() async throws {
        var values: [Double] = []
        var scales: [Int32] = []
        for k in stride(from: -1070, through: 1020, by: 7) {
            let v = Double(sign: .plus, exponent: k, significand: 1)
            for candidate in [v, v.nextUp, v.nextDown, v * 1.5] {
                for scale in [-4, 0, 3, 6, 10] {
                    values.append(candidate)
                    scales.append(Int32(scale))
                }
            }
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            values.append(pow(2, -40 + 80 * rng.uniform()))
            scales.append(Int32(rng.next() % 12) - 2)
        }
        let vs = values
        let ss = scales
        try await withTestClient { client, _ in
            try await Self.createDefinitions(client)
            let rows = try await client.query(
                """
                SELECT v, s, dl_hist_bucket_index(v, s), dl_hist_lower_boundary(dl_hist_bucket_index(v, s), s)
                FROM unnest(\(vs)::float8[], \(ss)::int4[]) AS t(v, s)
                """)
            var checked = 0
            for try await (v, s, index, lower) in rows.decode((Double, Int, Int32, Double).self) {
                #expect(index == ExponentialHistogram.bucketIndex(of: v, scale: s), "v=\(v) scale=\(s)")
                let swiftLower = ExponentialHistogram.lowerBoundary(of: index, scale: s)
                #expect(Self.relativeDifference(lower, swiftLower) <= 1e-12, "index \(index) scale \(s)")
                checked += 1
            }
            #expect(checked == vs.count)
        }
    }

    @Test func emptyAndNullHistogramsReadAsNull() async throws {
        try await withTestClient { client, _ in
            try await Self.createDefinitions(client)
            let empty = ExponentialHistogram().postgresLiteral
            let rows = try await client.query(
                """
                SELECT dl_hist_quantile(\(empty)::dl_histogram, 0.5) IS NULL, dl_hist_mean(\(empty)::dl_histogram) IS NULL,
                       dl_hist_count(\(empty)::dl_histogram), dl_hist_count_le(\(empty)::dl_histogram, 10),
                       dl_hist_quantile(NULL, 0.5) IS NULL, dl_hist_merge(\(empty)::dl_histogram, \(empty)::dl_histogram)::text
                """)
            for try await (quantileIsNull, meanIsNull, count, countLE, nullQuantile, merged) in rows.decode(
                (Bool, Bool, Int64, Int64, Bool, String).self)
            {
                #expect(quantileIsNull && meanIsNull && nullQuantile)
                #expect(count == 0 && countLE == 0)
                #expect(try ExponentialHistogram(postgresLiteral: merged) == ExponentialHistogram())
            }
        }
    }

    @Test func literalFormAndParsing() throws {
        var h = ExponentialHistogram()
        for v in [0, 1.25, 3, 50, 1e-5, 0.1] { h.record(v) }
        let literal = h.postgresLiteral
        #expect(literal.hasPrefix("(6,1,6,\(h.sum),0.0,50.0,\"{"))
        #expect(try ExponentialHistogram(postgresLiteral: literal) == h)
        #expect(ExponentialHistogram().postgresLiteral == "(6,0,0,0.0,Infinity,-Infinity,\"{}\",\"{}\")")
        // PostgreSQL's own output spelling: unquoted empty arrays, dimension prefixes.
        let fromPostgres = try ExponentialHistogram(postgresLiteral: "(6,0,0,0,Infinity,-Infinity,{},{})")
        #expect(fromPostgres == ExponentialHistogram())
        let withBounds = try ExponentialHistogram(postgresLiteral: "(6,0,3,6,1.5,3,\"[0:1]={37,101}\",\"{1,2}\")")
        #expect(withBounds.buckets == [.init(index: 37, count: 1), .init(index: 101, count: 2)])

        let bad = [
            "", "6,0,0,0,Infinity,-Infinity,{},{}", "(6,0,0,0,Infinity,-Infinity,{})",
            "(6,0,0,0,Infinity,-Infinity,{},{},1)", "(,0,0,0,Infinity,-Infinity,{},{})",
            "(6,0,1,1,1,1,\"{3}\",\"{2}\")",  // count disagrees
            "(6,0,2,1,1,1,\"{3,4}\",\"{2}\")",  // length mismatch
            "(6,0,1,1,NaN,1,\"{3}\",\"{1}\")", "(6,0,1,1,1,1,\"{x}\",\"{1}\")", "(6,0,1,1,1,1,\"{3}\",\"{-1}\")",
            "(6,0,1,1,1,1,\"{3}\",\"{1}", "(99,0,0,0,Infinity,-Infinity,{},{})",
        ]
        for text in bad {
            #expect(throws: ExponentialHistogramError.self, "\(text)") {
                try ExponentialHistogram(postgresLiteral: text)
            }
        }
    }
}
