/// The names of Driftline's own metrics, as `/metrics` shows them (docs/operations.md lists
/// each with its type and labels). Kept in one place so that a dashboard, the docs and the
/// code that records them cannot drift apart.
public enum MetricNames {
    /// Counter, `topic`: records read from owned partitions (decoded or dead-lettered).
    public static let recordsConsumed = "driftline_records_consumed_total"
    /// Counter, `topic`: records that decoded and were handed to the analysers.
    public static let recordsDecoded = "driftline_records_decoded_total"
    /// Counter, `topic`: records sent to the dead-letter table.
    public static let recordsDeadLettered = "driftline_records_dead_lettered_total"
    /// Gauge, `topic`, `partition`: the partition's high watermark minus the offset stored in
    /// PostgreSQL (what a restart would read again).
    public static let consumerLag = "driftline_kafka_consumer_lag_records"
    /// Histogram (seconds), `outcome` = committed | fenced | failed: one flush transaction.
    public static let flushDuration = "driftline_flush_duration_seconds"
    /// Counter, `table`: rows in committed flushes.
    public static let rowsWritten = "driftline_rows_written_total"
    /// Counter, `receiver`: alert notifications a receiver accepted.
    public static let alertDeliveries = "driftline_alert_deliveries_total"
    /// Counter, `receiver`, `kind` = retry | rejected: failed delivery attempts.
    public static let alertDeliveryFailures = "driftline_alert_delivery_failures_total"
    /// Gauge: samples waiting for the faithfulness scorer.
    public static let scorerQueueDepth = "driftline_scorer_queue_depth"
    /// Counter: samples shed because the scorer's queue was full.
    public static let scorerShedSamples = "driftline_scorer_shed_samples_total"
}
