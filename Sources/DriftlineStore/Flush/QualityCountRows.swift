public import Logging
public import PostgresNIO

/// What the faithfulness sampler flushes: per window, key and stratum the eligible events, those
/// sampled and those shed (`dl_quality_counts`), and the per-partition count of events seen of
/// each model version (`dl_analyser_state`), so that a replay puts the same events in the
/// `new_version` stratum as the first pass did.
public struct QualityCountRows: StoredRows {
    public var consumerGroup: String
    /// The analyser's name in `dl_analyser_state`.
    public var analyser: String
    public var counts: [QualityCountKey: QualityCount]
    public var states: [AnalyserStateKey: [UInt8]]

    public init(
        consumerGroup: String, analyser: String, counts: [QualityCountKey: QualityCount],
        states: [AnalyserStateKey: [UInt8]]
    ) {
        self.consumerGroup = consumerGroup
        self.analyser = analyser
        self.counts = counts
        self.states = states
    }

    public var table: String { "dl_quality_counts" }
    public var count: Int { counts.count + states.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.writeAnalyserState(
            states, group: consumerGroup, analyser: analyser, on: connection, logger: logger)
        guard !counts.isEmpty else { return }
        let rows = counts.sorted { $0.key < $1.key }
        var binds = PostgresBindings(capacity: WindowKeySQL.count + 7)
        binds.appendKeyColumns(rows.map(\.key.window))
        binds.append(rows.map(\.key.stratum))
        binds.append(rows.map(\.key.rate))
        binds.append(rows.map(\.value.events))
        binds.append(rows.map(\.value.sampled))
        binds.append(rows.map(\.value.shedQueueFull))
        binds.append(rows.map(\.value.shedNoScorer))
        binds.append(rows.map(\.value.shedTooLong))
        let values = "events, sampled, shed_queue_full, shed_no_scorer, shed_too_long"
        let sql = """
            INSERT INTO dl_quality_counts AS c (\(WindowKeySQL.columns), stratum, rate, \(values))
            SELECT \(WindowKeySQL.selected), stratum, rate, \(values)
            FROM unnest(\(WindowKeySQL.unnestArguments(["text", "float8", "int8", "int8", "int8", "int8", "int8"])))
                AS t(\(WindowKeySQL.aliases), stratum, rate, \(values))
            ON CONFLICT (\(WindowKeySQL.columns), stratum, rate)
            DO UPDATE SET events = dl_sat_add(c.events, EXCLUDED.events),
                          sampled = dl_sat_add(c.sampled, EXCLUDED.sampled),
                          shed_queue_full = dl_sat_add(c.shed_queue_full, EXCLUDED.shed_queue_full),
                          shed_no_scorer = dl_sat_add(c.shed_no_scorer, EXCLUDED.shed_no_scorer),
                          shed_too_long = dl_sat_add(c.shed_too_long, EXCLUDED.shed_too_long),
                          updated_at = now()
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    public func split() -> (QualityCountRows, QualityCountRows) {
        if counts.count > 1 || (counts.count == 1 && states.isEmpty) {
            let (first, second) = halves(counts)
            return (
                QualityCountRows(consumerGroup: consumerGroup, analyser: analyser, counts: first, states: states),
                QualityCountRows(consumerGroup: consumerGroup, analyser: analyser, counts: second, states: [:])
            )
        }
        let (first, second) = halves(states)
        return (
            QualityCountRows(consumerGroup: consumerGroup, analyser: analyser, counts: counts, states: first),
            QualityCountRows(consumerGroup: consumerGroup, analyser: analyser, counts: [:], states: second)
        )
    }

    public func describe() -> String {
        counts.map {
            "\($0.key.window) \($0.key.stratum)@\($0.key.rate): events \($0.value.events), sampled \($0.value.sampled)"
        }.joined(separator: "; ")
    }
}
