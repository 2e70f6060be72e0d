import CRdKafka
import Foundation

/// One consumed record, borrowed from librdkafka.
///
/// ``key`` and ``value`` point into librdkafka's buffers and are valid only until the
/// ``KafkaConsumerHandler/consume(_:from:)`` call that received the batch returns: copy what must
/// outlive it.
public struct KafkaMessageView {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    /// Producer or log-append time in milliseconds since the epoch, when the record has one.
    public let timestampMilliseconds: Int64?
    /// `nil` for a record without a key.
    public let key: UnsafeRawBufferPointer?
    /// `nil` for a record with a null value (a tombstone).
    public let value: UnsafeRawBufferPointer?

    public var topicPartition: TopicPartition {
        TopicPartition(topic: topic, partition: partition)
    }
}

@available(*, unavailable, message: "a message view borrows librdkafka memory and must stay on the poll thread")
extension KafkaMessageView: Sendable {}

/// The records of one poll-loop iteration, in the order librdkafka delivered them (per partition,
/// by increasing offset). Borrowed: valid only during the handler call that receives it.
public struct KafkaMessageBatch: RandomAccessCollection {
    let messages: UnsafeBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>
    /// The topic name of each message, resolved once per `rd_kafka_topic_t` (see `TopicNameCache`).
    let topics: [String]

    public var startIndex: Int { 0 }
    public var endIndex: Int { messages.count }

    public subscript(position: Int) -> KafkaMessageView {
        let message = messages[position]
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        let record = message.pointee
        return KafkaMessageView(
            topic: topics[position],
            partition: record.partition,
            offset: record.offset,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
            key: record.key.map { UnsafeRawBufferPointer(start: $0, count: record.key_len) },
            value: record.payload.map { UnsafeRawBufferPointer(start: $0, count: record.len) }
        )
    }
}

@available(*, unavailable, message: "a message batch borrows librdkafka memory and must stay on the poll thread")
extension KafkaMessageBatch: Sendable {}

/// Topic names by `rd_kafka_topic_t`, so a batch does not build a `String` from C per message.
///
/// A message holds a reference on its topic object, so a pointer seen earlier in the same batch is
/// the same topic. Across batches librdkafka may have freed the object and reused its address, so
/// the first sighting in a batch is checked against the name (a short `strcmp`).
struct TopicNameCache {
    private var names: [OpaquePointer: String] = [:]
    private var lastTopic: OpaquePointer?
    private var lastName = ""

    mutating func startBatch() {
        lastTopic = nil
    }

    mutating func name(of topic: OpaquePointer?) -> String {
        guard let topic else {
            return ""
        }
        if topic == lastTopic {
            return lastName
        }
        guard let cName = rd_kafka_topic_name(topic) else {
            return ""
        }
        let name: String
        if let cached = names[topic], cached.withCString({ strcmp($0, cName) == 0 }) {
            name = cached
        } else {
            name = String(cString: cName)
            if names.count > 10_000 {
                names.removeAll(keepingCapacity: true)
            }
            names[topic] = name
        }
        lastTopic = topic
        lastName = name
        return name
    }
}
