import DriftlineKafka
import DriftlineTestSupport
import Foundation

struct TestTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Runs `consumer` with `handler` while `body` runs concurrently, then stops it (also when
/// `body` throws) and waits for `run` to return.
func withRunningConsumer(
    _ consumer: KafkaConsumer,
    handler: sending any KafkaConsumerHandler,
    _ body: @escaping @Sendable () async throws -> Void
) async throws {
    async let bodyDone: Void = {
        defer { consumer.stop() }
        try await body()
    }()
    try await consumer.run(handler: handler)
    try await bodyDone
}

final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// One consumed record, copied out of the borrowed batch.
struct ConsumedRecord: Hashable, Sendable {
    let consumer: String
    let partition: TopicPartition
    let offset: Int64
    let key: String?
    let value: String
}

enum ConsumerEvent: Equatable, Sendable {
    case assigned(consumer: String, partitions: Set<TopicPartition>, offsets: [TopicPartition: Int64])
    case revoked(consumer: String, partitions: Set<TopicPartition>)
    case batch(consumer: String, count: Int)
}

/// What handlers saw, shared between poll threads and the test.
final class ConsumerLog: Sendable {
    private struct State {
        var records: [ConsumedRecord] = []
        var events: [ConsumerEvent] = []
        var violations: [String] = []
        var errors: [KafkaError] = []
    }

    private let state = Locked(State())

    var records: [ConsumedRecord] { state.withLock { $0.records } }
    var recordCount: Int { state.withLock { $0.records.count } }
    var events: [ConsumerEvent] { state.withLock { $0.events } }
    var violations: [String] { state.withLock { $0.violations } }
    var errors: [KafkaError] { state.withLock { $0.errors } }

    func append(_ records: [ConsumedRecord], consumer: String) {
        state.withLock {
            $0.records += records
            $0.events.append(.batch(consumer: consumer, count: records.count))
        }
    }

    func append(_ event: ConsumerEvent) {
        state.withLock { $0.events.append(event) }
    }

    func violation(_ text: String) {
        state.withLock { $0.violations.append(text) }
    }

    func error(_ error: KafkaError) {
        state.withLock { $0.errors.append(error) }
    }
}

/// The application's offset store stand-in: what a handler persisted on revocation.
final class OffsetStore: Sendable {
    private let offsets = Locked([TopicPartition: Int64]())

    subscript(partition: TopicPartition) -> Int64? {
        get { offsets.withLock { $0[partition] } }
    }

    func save(_ values: [TopicPartition: Int64]) {
        offsets.withLock { $0.merge(values) { _, new in new } }
    }
}

/// A handler that records everything into a ``ConsumerLog`` and checks, per partition, that
/// records arrive contiguously from the offset it returned on assignment.
final class RecordingHandler: KafkaConsumerHandler {
    let name: String
    let log: ConsumerLog
    /// Start offsets to return on assignment; throwing simulates an unreachable store.
    var startOffsets: ([TopicPartition]) throws -> [TopicPartition: Int64] = { _ in [:] }
    /// Runs after a batch was recorded.
    var onConsume: (KafkaMessageBatch, KafkaConsumer) -> Void = { _, _ in }
    var onRevoke: ([TopicPartition], [TopicPartition: Int64]) -> Void = { _, _ in }
    var onTick: (KafkaConsumer) -> Void = { _ in }
    /// The offset expected next per owned partition; what the application would persist.
    private(set) var next: [TopicPartition: Int64] = [:]

    init(name: String = "consumer", log: ConsumerLog) {
        self.name = name
        self.log = log
    }

    /// After a seek: the next record of `partition` must be at `offset`.
    func expect(_ partition: TopicPartition, at offset: Int64) {
        next[partition] = offset
    }

    func consume(_ batch: KafkaMessageBatch, from consumer: KafkaConsumer) {
        var records: [ConsumedRecord] = []
        records.reserveCapacity(batch.count)
        for message in batch {
            let partition = message.topicPartition
            if let expected = next[partition] {
                if message.offset != expected {
                    log.violation("\(name): \(partition) delivered offset \(message.offset), expected \(expected)")
                }
            } else {
                log.violation("\(name): \(partition) offset \(message.offset) delivered while not assigned")
            }
            next[partition] = message.offset + 1
            records.append(
                ConsumedRecord(
                    consumer: name,
                    partition: partition,
                    offset: message.offset,
                    key: message.key.map { String(decoding: $0, as: UTF8.self) },
                    value: message.value.map { String(decoding: $0, as: UTF8.self) } ?? "<null>"
                ))
        }
        log.append(records, consumer: name)
        onConsume(batch, consumer)
    }

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) throws -> [TopicPartition: Int64] {
        let offsets = try startOffsets(partitions)
        for partition in partitions {
            next[partition] = offsets[partition] ?? 0
        }
        log.append(.assigned(consumer: name, partitions: Set(partitions), offsets: offsets))
        return offsets
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        var positions: [TopicPartition: Int64] = [:]
        for partition in partitions {
            positions[partition] = next.removeValue(forKey: partition)
        }
        onRevoke(partitions, positions)
        log.append(.revoked(consumer: name, partitions: Set(partitions)))
    }

    func tick(consumer: KafkaConsumer) {
        onTick(consumer)
    }

    func consumerError(_ error: KafkaError, consumer: KafkaConsumer) {
        log.error(error)
    }
}

/// Sends `count` records with `key` = index and `value` = "value-<index>", spread round-robin
/// over `partitions` partitions, and waits for their delivery.
func produceIndexed(
    _ producer: KafkaProducer,
    topic: String,
    range: Range<Int>,
    partitions: Int32
) throws {
    for index in range {
        try producer.send(
            topic: topic, key: "\(index)", value: "value-\(index)", partition: Int32(index % Int(partitions)))
    }
    try producer.flush(timeout: .seconds(60))
}

/// A unique name, so that tests running in parallel never share a group or topic.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
