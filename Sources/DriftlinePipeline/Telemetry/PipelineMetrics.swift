import DriftlineStore
public import Metrics
import Synchronization

/// The metrics ingest records, through swift-metrics: per topic, per partition, per flush. The
/// factory is injected (the global `MetricsSystem.factory` by default), so that a test can read
/// its own registry without bootstrapping the process-wide one.
///
/// Handles are created once per label value and kept: swift-metrics hands out a new object per
/// call, and creating one per record would cost a registry lookup under a lock each time.
public final class PipelineMetrics: Sendable {
    public let factory: any MetricsFactory
    private let topics = Mutex<[String: TopicCounters]>([:])
    private let tables = Mutex<[String: Counter]>([:])
    private let lags = Mutex<[SourcePartition: Gauge]>([:])
    private let flushTimers = Mutex<[String: Timer]>([:])

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    struct TopicCounters: Sendable {
        let consumed: Counter
        let decoded: Counter
        let deadLettered: Counter
    }

    /// One run of records of `topic`: `records` read, of which `deadLetters` were dead-lettered.
    func consumed(topic: String, records: Int64, deadLetters: Int64) {
        guard records > 0 else { return }
        let counters = topics.withLock { cache in
            if let existing = cache[topic] { return existing }
            let dimensions = [("topic", topic)]
            let made = TopicCounters(
                consumed: Counter(label: MetricNames.recordsConsumed, dimensions: dimensions, factory: factory),
                decoded: Counter(label: MetricNames.recordsDecoded, dimensions: dimensions, factory: factory),
                deadLettered: Counter(
                    label: MetricNames.recordsDeadLettered, dimensions: dimensions, factory: factory))
            cache[topic] = made
            return made
        }
        counters.consumed.increment(by: records)
        if records > deadLetters { counters.decoded.increment(by: records - deadLetters) }
        if deadLetters > 0 { counters.deadLettered.increment(by: deadLetters) }
    }

    /// A flush ended with `outcome` (committed, fenced, failed) after `duration`.
    func flushed(outcome: String, duration: Duration) {
        let timer = flushTimers.withLock { cache in
            if let existing = cache[outcome] { return existing }
            let made = Timer(label: MetricNames.flushDuration, dimensions: [("outcome", outcome)], factory: factory)
            cache[outcome] = made
            return made
        }
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// The rows of a committed flush, by table.
    func wrote(_ rows: [any StoredRows]) {
        var byTable: [String: Int] = [:]
        for part in rows where part.count > 0 { byTable[part.table, default: 0] += part.count }
        guard !byTable.isEmpty else { return }
        let counters = tables.withLock { cache in
            byTable.map { table, count in
                let counter =
                    cache[table]
                    ?? Counter(label: MetricNames.rowsWritten, dimensions: [("table", table)], factory: factory)
                cache[table] = counter
                return (counter, count)
            }
        }
        for (counter, count) in counters { counter.increment(by: count) }
    }

    /// The lag of an owned partition.
    func lag(_ partition: SourcePartition, records: Int64) {
        let gauge = lags.withLock { cache in
            if let existing = cache[partition] { return existing }
            let made = Gauge(
                label: MetricNames.consumerLag,
                dimensions: [("topic", partition.topic), ("partition", String(partition.partition))], factory: factory)
            cache[partition] = made
            return made
        }
        gauge.record(records)
    }

    /// Partitions this member no longer owns: their lag is another member's to report.
    func forgetLag(of partitions: some Sequence<SourcePartition>) {
        let gone = lags.withLock { cache in partitions.compactMap { cache.removeValue(forKey: $0) } }
        for gauge in gone { gauge.destroy() }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating (a flush never takes 292 years).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
