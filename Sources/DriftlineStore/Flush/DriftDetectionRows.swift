public import Logging
public import PostgresNIO

/// What an online drift detector flushes: its detections since the last flush and the
/// snapshots of the detectors that changed (`dl_analyser_state`), so that the stored state is
/// always that of the stored offsets. Detections already stored (a replay after fencing) are
/// ignored, not counted twice.
public struct DriftDetectionRows: StoredRows {
    public var consumerGroup: String
    /// The analyser's name in `dl_analyser_state`.
    public var analyser: String
    public var detections: [DriftDetection]
    public var states: [AnalyserStateKey: [UInt8]]

    public init(
        consumerGroup: String, analyser: String, detections: [DriftDetection], states: [AnalyserStateKey: [UInt8]]
    ) {
        self.consumerGroup = consumerGroup
        self.analyser = analyser
        self.detections = detections
        self.states = states
    }

    public var table: String { "dl_drift_detections" }
    public var count: Int { detections.count + states.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.writeAnalyserState(
            states, group: consumerGroup, analyser: analyser, on: connection, logger: logger)
        guard !detections.isEmpty else { return }
        let rows = detections.sorted()
        var binds = PostgresBindings(capacity: 12)
        binds.append(consumerGroup)
        binds.append(rows.map(\.partition.topic))
        binds.append(rows.map(\.partition.partition))
        binds.append(rows.map(\.stream))
        binds.append(rows.map(\.signal))
        binds.append(rows.map(\.detector))
        binds.append(rows.map(\.updateIndex))
        binds.append(rows.map(\.eventTimeMicroseconds))
        // Arrays cannot carry NULLs as bound here: NaN and -1 stand for "none" and become NULL.
        binds.append(rows.map { $0.meanBefore ?? .nan })
        binds.append(rows.map { $0.meanAfter ?? .nan })
        binds.append(rows.map { $0.widthBefore ?? -1 })
        binds.append(rows.map { $0.widthAfter ?? -1 })
        let sql = """
            INSERT INTO dl_drift_detections (consumer_group, topic, partition, stream, signal, detector,
                                             update_index, event_time, mean_before, mean_after, width_before,
                                             width_after)
            SELECT $1, topic, partition, stream::jsonb, signal, detector, update_index,
                   to_timestamp(micros / 1000000.0), nullif(mean_before, 'NaN'::float8),
                   nullif(mean_after, 'NaN'::float8), nullif(width_before, -1), nullif(width_after, -1)
            FROM unnest($2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[],
                        $9::float8[], $10::float8[], $11::int8[], $12::int8[])
                AS t(topic, partition, stream, signal, detector, update_index, micros, mean_before, mean_after,
                     width_before, width_after)
            ON CONFLICT DO NOTHING
            """
        try await AggregateStore.query(connection, sql, binds, logger: logger)
    }

    public func split() -> (DriftDetectionRows, DriftDetectionRows) {
        let (firstStates, secondStates) = halves(states)
        let middle = detections.count / 2
        return (
            DriftDetectionRows(
                consumerGroup: consumerGroup, analyser: analyser, detections: Array(detections[..<middle]),
                states: firstStates),
            DriftDetectionRows(
                consumerGroup: consumerGroup, analyser: analyser, detections: Array(detections[middle...]),
                states: secondStates)
        )
    }

    public func describe() -> String {
        (detections.map { "\($0.partition) \($0.stream) \($0.signal) \($0.detector) #\($0.updateIndex)" }
            + states.keys.sorted().map { "state \($0.partition) \($0.key) (\(states[$0]!.count) bytes)" })
            .joined(separator: "; ")
    }
}
