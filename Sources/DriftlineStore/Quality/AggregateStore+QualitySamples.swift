public import DriftlineCore
import Logging
import PostgresNIO

/// Follows the scored samples in the order they are stored, with state kept in
/// `dl_analyser_state` (the online detectors of the faithfulness score). The store hands it
/// each newly stored sample once, in the transaction that stores it, and writes what it returns
/// in that transaction: a replayed sample (already stored) is never followed twice, and the
/// state is always that of the stored samples.
public protocol QualitySampleObserver: Sendable {
    var consumerGroup: String { get }
    /// Its name in `dl_analyser_state`.
    var analyser: String { get }
    /// The `dl_analyser_state` topic and partition its state is kept under.
    var source: SourcePartition { get }
    /// The state keys it needs to follow `samples`.
    func stateKeys(for samples: [QualitySampleRecord]) -> Set<String>
    /// Follows `samples` (newly stored, in storing order) from the stored `states` (by key;
    /// missing ones have none yet); returns the states and detections to store with them.
    func follow(_ samples: [QualitySampleRecord], from states: [String: [UInt8]]) -> DriftDetectionRows
}

extension AggregateStore {
    /// Names the lock that serialises the observed inserts of every instance (their state rows
    /// are read and written in one transaction).
    static let qualityObserverLockKey: Int64 = 0x4472_6966_7451_5350  // "DriftQSP"

    /// Stores scored samples; one already stored under the same request id is left as it is
    /// (`ON CONFLICT DO NOTHING`), so a replay never counts a sample twice. With `observer`,
    /// the newly stored samples are handed to it in the same transaction (see
    /// ``QualitySampleObserver``). Returns how many rows were new.
    @discardableResult
    public func insertQualitySamples(_ samples: [QualitySampleRecord], observer: (any QualitySampleObserver)? = nil)
        async throws -> Int
    {
        guard !samples.isEmpty else { return 0 }
        let logger = self.logger
        guard let observer else {
            return try await client.withConnection { connection in
                try await Self.insertQualitySamples(samples, on: connection, logger: logger).count
            }
        }
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(\(Self.qualityObserverLockKey))"),
                logger: logger)
            let stored = try await Self.insertQualitySamples(samples, on: connection, logger: logger)
            let new = samples.filter { stored.contains($0.requestID) }.sorted { $0.requestID < $1.requestID }
            let keys = observer.stateKeys(for: new)
            var states: [String: [UInt8]] = [:]
            if !keys.isEmpty {
                let rows = try await connection.query(
                    """
                    SELECT key, encode(state, 'hex') FROM dl_analyser_state
                    WHERE consumer_group = \(observer.consumerGroup) AND analyser = \(observer.analyser)
                      AND topic = \(observer.source.topic) AND partition = \(observer.source.partition)
                      AND key = ANY(\(Array(keys)))
                    """,
                    logger: logger)
                for try await (key, hex) in rows.decode((String, String).self) {
                    states[key] = Self.bytes(hex: hex)
                }
            }
            try await observer.follow(new, from: states).write(on: connection, logger: logger)
            return new.count
        }
    }

    /// Inserts `samples`; returns the request ids of the rows that were new.
    private static func insertQualitySamples(
        _ samples: [QualitySampleRecord], on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        let rows = samples.sorted { $0.requestID < $1.requestID }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 14)
        binds.appendKeyColumns(rows.map(\.window))
        binds.append(rows.map(\.requestID))
        binds.append(rows.map { $0.traceID ?? "" })
        binds.append(rows.map(\.eventTimeMicroseconds))
        binds.append(rows.map(\.stratum))
        binds.append(rows.map(\.rate))
        binds.append(rows.map(\.verdict.rawValue))
        // Arrays cannot carry NULLs as bound here: NaN stands for "none" and becomes NULL.
        binds.append(rows.map { $0.score ?? .nan })
        binds.append(rows.map { $0.threshold ?? .nan })
        binds.append(rows.map(\.scorerName))
        binds.append(rows.map(\.scorerVersion))
        binds.append(rows.map(\.detailJSON))
        binds.append(rows.map(\.latencyMilliseconds))
        let types = [
            "text", "text", "int8", "text", "float8", "text", "float8", "float8", "text", "text", "text", "float8",
        ]
        let sql = """
            INSERT INTO dl_quality_samples (\(WindowKeySQL.columns), request_id, trace_id, event_time, stratum, rate,
                weight, verdict, score, threshold, scorer_name, scorer_version, detail, latency_ms)
            SELECT \(WindowKeySQL.selected), rid, nullif(tid, ''), to_timestamp(et / 1e6), stratum, rate, 1 / rate,
                   verdict, nullif(score, 'NaN'), nullif(thr, 'NaN'), sname, sversion, detail::jsonb, latency
            FROM unnest(\(WindowKeySQL.unnestArguments(types)))
                AS t(\(WindowKeySQL.aliases), rid, tid, et, stratum, rate, verdict, score, thr, sname, sversion,
                     detail, latency)
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id
            """
        var inserted = Set<String>()
        for try await id in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode(String.self)
        {
            inserted.insert(id)
        }
        return inserted
    }
}

extension AggregateStore {
    /// The weighted hallucination rate with its Wilson 95 % interval per value of `dimension`,
    /// over samples of events since `since` (seconds since the epoch).
    public func qualityRates(by dimension: Dimension, since: Int64) async throws -> [QualityRate] {
        let column = dimension.column
        let sql = """
            SELECT g, scored, flagged, (r).rate, (r).effective_n, (r).lower, (r).upper
            FROM (SELECT \(column) AS g, count(*) FILTER (WHERE verdict <> 'error') AS scored,
                         count(*) FILTER (WHERE verdict = 'unfaithful') AS flagged,
                         dl_quality_rate(sum(weight) FILTER (WHERE verdict <> 'error'),
                                         coalesce(sum(weight) FILTER (WHERE verdict = 'unfaithful'), 0),
                                         sum(weight * weight) FILTER (WHERE verdict <> 'error')) AS r
                  FROM dl_quality_samples WHERE window_start >= to_timestamp($1)
                  GROUP BY 1) AS s
            ORDER BY g
            """
        var binds = PostgresBindings()
        binds.append(Double(since))
        var rates: [QualityRate] = []
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await (group, scored, flagged, rate, n, lower, upper) in rows.decode(
            (String, Int64, Int64, Double?, Double?, Double?, Double?).self)
        {
            rates.append(
                QualityRate(
                    group: group, scored: scored, flagged: flagged, rate: rate, effectiveN: n, lower: lower,
                    upper: upper))
        }
        return rates
    }

    /// The flagged sample with the lowest score since `since`, or nil.
    public func lowestFlaggedSample(since: Int64) async throws -> FlaggedSample? {
        let rows = try await client.query(
            """
            SELECT request_id, model, score, detail->>'weakest_sentence', detail->>'best_context_match',
                   coalesce((SELECT string_agg(t, E'\\t') FROM jsonb_array_elements_text(detail->'unsupported_terms') AS t), '')
            FROM dl_quality_samples
            WHERE verdict = 'unfaithful' AND window_start >= to_timestamp(\(Double(since))) AND score IS NOT NULL
            ORDER BY score, request_id LIMIT 1
            """, logger: logger)
        for try await (id, model, score, weakest, best, terms) in rows.decode(
            (String, String, Double, String?, String?, String).self)
        {
            return FlaggedSample(
                requestID: id, model: model, score: score, weakestSentence: weakest, bestContextMatch: best,
                unsupportedTerms: terms.isEmpty ? [] : terms.split(separator: "\t").map(String.init))
        }
        return nil
    }
}
