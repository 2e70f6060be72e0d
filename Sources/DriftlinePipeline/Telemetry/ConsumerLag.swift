/// A partition's consumer lag as Kafka's own tools report it (`kafka-consumer-groups.sh`): the
/// high watermark (the next offset to be written) minus the committed offset, which for
/// Driftline is the offset stored in PostgreSQL with the aggregates. A partition with nothing
/// stored yet lags by everything retained (high − low watermark).
enum ConsumerLag {
    static func records(high: Int64, low: Int64, stored: Int64?) -> Int64 {
        max(0, high - max(stored ?? low, low))
    }
}
