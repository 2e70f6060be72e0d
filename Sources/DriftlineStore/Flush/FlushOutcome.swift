public enum FlushOutcome: Sendable, Equatable {
    case committed
    /// The stored offsets of these partitions were not the expected ones: another consumer has
    /// written them since (a rebalance this process has not seen yet, or a commit that did go
    /// through although its acknowledgement was lost). Nothing was written; the caller must drop
    /// its state and restart from the stored offsets.
    case fenced([SourcePartition])
}
