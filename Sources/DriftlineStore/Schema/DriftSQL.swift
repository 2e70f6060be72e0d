/// Migration 7: what online drift detection stores.
///
/// - `dl_analyser_state`: state an analyser keeps across flushes (a detector's window), one row
///   per partition and key, written in the flush's transaction with the offsets of the records
///   that made it, and read back when a partition is assigned or restarted from its offsets.
/// - `dl_drift_detections`: one row per detection, identified by where in its partition's
///   stream it happened (the update index), so a replay writes the same rows again (ignored).
/// - `dl_drift_results`: PSI between a reference and a current period, per feature and
///   grouping, as the drift evaluation computes it from the stored aggregates.
/// - `dl_drift_events(merge_within)`: detections of the same stream and signal within
///   `merge_within` of each other, on any partitions, merged into one event naming them;
///   `dl_drift_events` (the view) merges within 5 minutes.
enum DriftSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_analyser_state (
            consumer_group text        NOT NULL,
            analyser       text        NOT NULL,
            topic          text        NOT NULL,
            partition      integer     NOT NULL,
            key            text        NOT NULL,
            state          bytea       NOT NULL,
            updated_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer_group, analyser, topic, partition, key)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_drift_detections (
            consumer_group text             NOT NULL,
            topic          text             NOT NULL,
            partition      integer          NOT NULL,
            stream         jsonb            NOT NULL,
            signal         text             NOT NULL,
            detector       text             NOT NULL,
            update_index   bigint           NOT NULL,
            event_time     timestamptz      NOT NULL,
            mean_before    double precision,
            mean_after     double precision,
            width_before   bigint,
            width_after    bigint,
            detected_at    timestamptz      NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer_group, topic, partition, stream, signal, detector, update_index)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_drift_detections_time ON dl_drift_detections (event_time)",
        """
        CREATE TABLE IF NOT EXISTS dl_drift_results (
            feature          text             NOT NULL,
            grouping         jsonb            NOT NULL,
            binning          text             NOT NULL,
            reference_start  timestamptz      NOT NULL,
            reference_end    timestamptz      NOT NULL,
            current_start    timestamptz      NOT NULL,
            current_end      timestamptz      NOT NULL,
            psi              double precision NOT NULL,
            severity         text             NOT NULL,
            reference_count  bigint           NOT NULL,
            current_count    bigint           NOT NULL,
            bins             jsonb            NOT NULL,
            evaluated_at     timestamptz      NOT NULL DEFAULT now(),
            PRIMARY KEY (feature, grouping, binning, current_start, current_end, reference_start, reference_end)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_drift_results_current ON dl_drift_results (current_end, feature)",
        """
        CREATE OR REPLACE FUNCTION dl_drift_events(merge_within interval)
        RETURNS TABLE (consumer_group text, stream jsonb, signal text, detector text,
                       first_detected timestamptz, last_detected timestamptz, partitions text[],
                       detections bigint, mean_before double precision, mean_after double precision)
        LANGUAGE sql STABLE AS $$
            WITH ordered AS (
                SELECT d.*,
                       CASE WHEN d.event_time - lag(d.event_time) OVER w <= merge_within THEN 0 ELSE 1 END
                           AS starts_event
                FROM dl_drift_detections d
                WINDOW w AS (PARTITION BY d.consumer_group, d.stream, d.signal, d.detector
                             ORDER BY d.event_time, d.topic, d.partition, d.update_index)
            ), numbered AS (
                SELECT o.*, sum(o.starts_event) OVER (
                           PARTITION BY o.consumer_group, o.stream, o.signal, o.detector
                           ORDER BY o.event_time, o.topic, o.partition, o.update_index) AS event_number
                FROM ordered o
            )
            SELECT n.consumer_group, n.stream, n.signal, n.detector, min(n.event_time), max(n.event_time),
                   array_agg(DISTINCT n.topic || '[' || n.partition || ']'), count(*),
                   avg(n.mean_before), avg(n.mean_after)
            FROM numbered n
            GROUP BY n.consumer_group, n.stream, n.signal, n.detector, n.event_number
        $$
        """,
        "CREATE OR REPLACE VIEW dl_drift_events AS SELECT * FROM dl_drift_events(interval '5 minutes')",
    ]
}
