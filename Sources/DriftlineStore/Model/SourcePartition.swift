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
