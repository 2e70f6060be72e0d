import PostgresNIO

extension AggregateStore {
    /// The merged drift events (`dl_drift_events`, detections within 5 minutes merged) of a
    /// consumer group, earliest first.
    public func driftEvents(consumerGroup: String) async throws -> [DriftEventSummary] {
        let rows = try await client.query(
            """
            SELECT stream::text, signal, detector, extract(epoch FROM first_detected)::float8, partitions,
                   mean_before, mean_after
            FROM dl_drift_events WHERE consumer_group = \(consumerGroup)
            ORDER BY first_detected, stream::text, signal, detector
            """, logger: logger)
        var events: [DriftEventSummary] = []
        for try await (stream, signal, detector, first, partitions, before, after) in rows.decode(
            (String, String, String, Double, [String], Double?, Double?).self)
        {
            events.append(
                DriftEventSummary(
                    stream: stream, signal: signal, detector: detector, firstDetected: first, partitions: partitions,
                    meanBefore: before, meanAfter: after))
        }
        return events
    }
}
