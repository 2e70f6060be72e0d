/// Why ingest ended with work not done; the process exits non-zero with this line.
public enum IngestError: Error, CustomStringConvertible, Equatable {
    /// The last flush before the partitions were let go failed.
    case unstoredAtShutdown(records: Int64)

    public var description: String {
        switch self {
        case .unstoredAtShutdown(let records):
            "the final flush failed: \(records) consumed records were not stored; nothing is lost, they are read again from Kafka on the next start (from the offsets stored in PostgreSQL)"
        }
    }
}
