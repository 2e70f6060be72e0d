/// Identifies one partition of one source topic. The store only keeps its offsets; it knows nothing of Kafka.
public struct SourcePartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public static func < (a: SourcePartition, b: SourcePartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }
    public var description: String { "\(topic)[\(partition)]" }
}

/// The new position of one partition after a flush, and the position the writer believes is stored.
public struct OffsetAdvance: Sendable, Equatable {
    public var partition: SourcePartition
    /// The stored next offset this writer read or last wrote; nil when no row exists yet.
    /// A mismatch means another writer owns the partition now (see `FlushOutcome.fenced`).
    public var expected: Int64?
    /// The offset after the last record folded into this flush.
    public var next: Int64
    public var records: Int64
    public var deadLetters: Int64

    public init(partition: SourcePartition, expected: Int64?, next: Int64, records: Int64, deadLetters: Int64) {
        self.partition = partition
        self.expected = expected
        self.next = next
        self.records = records
        self.deadLetters = deadLetters
    }
}

/// A record that failed to decode or validate, kept with its coordinates, the reason and its bytes.
public struct DeadLetter: Sendable, Equatable {
    public var partition: SourcePartition
    public var offset: Int64
    public var key: [UInt8]?
    /// Record timestamp in milliseconds since the epoch, when the broker gave one.
    public var timestampMilliseconds: Int64?
    public var errorCode: String
    public var reason: String
    /// The first bytes of the record (capped by configuration); `payloadSize` is the original size.
    public var payload: [UInt8]?
    public var payloadSize: Int

    public init(
        partition: SourcePartition, offset: Int64, key: [UInt8]?, timestampMilliseconds: Int64?, errorCode: String,
        reason: String, payload: [UInt8]?, payloadSize: Int
    ) {
        self.partition = partition
        self.offset = offset
        self.key = key
        self.timestampMilliseconds = timestampMilliseconds
        self.errorCode = errorCode
        self.reason = reason
        self.payload = payload
        self.payloadSize = payloadSize
    }
}

/// Everything one flush writes in one transaction.
public struct FlushBatch: Sendable {
    public var consumerGroup: String
    public var windows: [WindowKey: WindowAggregate]
    /// Cost rows (`dl_costs`), keyed by window and the cost-attribution dimensions.
    public var costs: [WindowKey: CostAggregate]
    public var deadLetters: [DeadLetter]
    public var offsets: [OffsetAdvance]
    /// OTLP spans that are not model calls, counted per window and operation.
    public var spanCounts: [SpanCountKey: SpanCount]

    public init(
        consumerGroup: String, windows: [WindowKey: WindowAggregate] = [:], costs: [WindowKey: CostAggregate] = [:],
        deadLetters: [DeadLetter] = [], offsets: [OffsetAdvance] = [], spanCounts: [SpanCountKey: SpanCount] = [:]
    ) {
        self.consumerGroup = consumerGroup
        self.windows = windows
        self.costs = costs
        self.deadLetters = deadLetters
        self.offsets = offsets
        self.spanCounts = spanCounts
    }

    public var isEmpty: Bool {
        windows.isEmpty && costs.isEmpty && deadLetters.isEmpty && offsets.isEmpty && spanCounts.isEmpty
    }
}

public enum FlushOutcome: Sendable, Equatable {
    case committed
    /// The stored offsets of these partitions were not the expected ones: another consumer has
    /// written them since (a rebalance this process has not seen yet, or a commit that did go
    /// through although its acknowledgement was lost). Nothing was written; the caller must drop
    /// its state and restart from the stored offsets.
    case fenced([SourcePartition])
}
