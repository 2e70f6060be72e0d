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
