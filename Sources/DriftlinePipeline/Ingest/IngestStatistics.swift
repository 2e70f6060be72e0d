import Synchronization

/// Counters of one pipeline process since it started.
public struct IngestStatistics: Sendable, Equatable {
    /// Records decoded and folded into an aggregate.
    public var records: Int64 = 0
    /// Records sent to the dead-letter table.
    public var deadLetters: Int64 = 0
    /// Records whose flush committed (good and dead-lettered).
    public var committedRecords: Int64 = 0
    public var flushes: Int64 = 0
    public var failedFlushes: Int64 = 0
    /// Flushes refused because another consumer had moved the partition's stored offset.
    public var fencedFlushes: Int64 = 0
    /// Times the partitions were paused because the store fell behind.
    public var pauses: Int64 = 0
    public var rebalances: Int64 = 0
    /// Records consumed but not stored when their partitions were let go (a failed final flush):
    /// the next owner reads them again from Kafka.
    public var unstoredRecords: Int64 = 0

    public init() {}
}

/// The live counters, shared between the poll thread (writer) and readers on any thread.
final class IngestCounters: Sendable {
    private let state = Mutex(IngestStatistics())
    var snapshot: IngestStatistics { state.withLock { $0 } }
    func update(_ body: (inout IngestStatistics) -> Void) { state.withLock { body(&$0) } }
}
