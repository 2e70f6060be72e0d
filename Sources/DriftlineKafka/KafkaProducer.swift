import CRdKafka
import Foundation
public import Logging

/// Sends records without blocking on the network; ``flush(timeout:)`` waits for their delivery.
///
/// `send` copies key and value into librdkafka, which batches them (`linger.ms` 5 by default) and
/// reports each delivery back; the producer counts successes and failures and keeps the first
/// failure for ``flush(timeout:)`` to throw. Safe to use from any thread: librdkafka's producer is
/// thread-safe and the Swift-side state is behind locks (hence `@unchecked Sendable`).
public final class KafkaProducer: @unchecked Sendable {
    /// Defaults tuned for throughput with ~1 KB records; every one can be overridden through
    /// ``KafkaConfiguration/properties``.
    public static let defaultProperties: [String: String] = [
        "linger.ms": "5",
        "batch.num.messages": "10000",
        "compression.codec": "none",
    ]

    /// Delivery reports are served by polling; doing it every few sends keeps the queue of
    /// pending reports short without a poll call per record.
    private static let sendsPerPoll = 256

    private struct Topics {
        var handles: [String: OpaquePointer] = [:]
        var sendsSincePoll = 0
    }

    private let handle: OpaquePointer
    private let context: ProducerContext
    private let topics = Locked(Topics())
    private let logger: Logger

    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "driftline.kafka.producer")
    ) throws {
        let context = ProducerContext(logger: logger)
        let defaults = Self.defaultProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        handle = try RDKafkaClient.makeHandle(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.orderedProperties(defaults: defaults),
            context: context
        ) {
            rd_kafka_conf_set_dr_msg_cb($0, producerDeliveryCallback)
        }
        self.context = context
        self.logger = logger
    }

    deinit {
        // Whatever was not flushed is dropped: destroying waits for in-flight requests otherwise.
        rd_kafka_purge(handle, RDKafkaConstants.purgeQueue | RDKafkaConstants.purgeInFlight)
        rd_kafka_poll(handle, 0)
        topics.withLock { topics in
            for topic in topics.handles.values {
                rd_kafka_topic_destroy(topic)
            }
        }
        rd_kafka_destroy(handle)
    }

    /// Enqueues one record; librdkafka copies `key` and `value` before returning.
    ///
    /// When librdkafka's queue is full (`queue.buffering.max.messages`/`.kbytes`), waits for
    /// deliveries and retries, so a fast sender is slowed to the cluster's pace.
    /// - Parameter partition: `nil` lets the partitioner choose (by key hash when there is a key).
    public func send(topic: String, key: some KafkaBytes, value: some KafkaBytes, partition: Int32? = nil) throws {
        try key.withKafkaBytes { key in
            try value.withKafkaBytes { value in
                try enqueue(topic: topic, key: key, value: value, partition: partition)
            }
        }
    }

    /// Enqueues one record without a key.
    public func send(topic: String, value: some KafkaBytes, partition: Int32? = nil) throws {
        try value.withKafkaBytes { value in
            try enqueue(topic: topic, key: nil, value: value, partition: partition)
        }
    }

    /// Enqueues one record whose key may be absent (`nil`), for callers that carry optional keys.
    public func send(topic: String, key: [UInt8]?, value: some KafkaBytes, partition: Int32? = nil) throws {
        guard let key else {
            return try send(topic: topic, value: value, partition: partition)
        }
        try send(topic: topic, key: key, value: value, partition: partition)
    }

    private func enqueue(
        topic: String,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        partition: Int32?
    ) throws {
        // An empty array may lend a null base address, which librdkafka would send as a null
        // (tombstone) value or no key, not as empty bytes.
        if value.baseAddress == nil || (key != nil && key?.baseAddress == nil) {
            var placeholder: UInt8 = 0
            return try withUnsafeBytes(of: &placeholder) { placeholder in
                let empty = UnsafeRawBufferPointer(start: placeholder.baseAddress, count: 0)
                try enqueue(
                    topic: topic,
                    key: key.map { $0.baseAddress == nil ? empty : $0 },
                    value: value.baseAddress == nil ? empty : value,
                    partition: partition
                )
            }
        }
        let (topicHandle, shouldPoll) = try topics.withLock { topics in
            topics.sendsSincePoll += 1
            let shouldPoll = topics.sendsSincePoll >= Self.sendsPerPoll
            if shouldPoll {
                topics.sendsSincePoll = 0
            }
            if let existing = topics.handles[topic] {
                return (existing, shouldPoll)
            }
            guard let created = rd_kafka_topic_new(handle, topic, nil) else {
                throw KafkaError(
                    code: .produce, message: "creating a handle for topic '\(topic)' failed",
                    rdKafkaError: rd_kafka_last_error())
            }
            topics.handles[topic] = created
            return (created, shouldPoll)
        }
        if shouldPoll {
            rd_kafka_poll(handle, 0)
        }
        let targetPartition = partition ?? RDKafkaConstants.partitionUnassigned
        while true {
            let result = rd_kafka_produce(
                topicHandle,
                targetPartition,
                RDKafkaConstants.messageFlagCopy,
                UnsafeMutableRawPointer(mutating: value.baseAddress),
                value.count,
                key?.baseAddress,
                key?.count ?? 0,
                nil
            )
            if result == 0 {
                return
            }
            let error = rd_kafka_last_error()
            guard error == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                throw KafkaError(
                    code: .produce,
                    message: "enqueueing a record failed",
                    rdKafkaError: error,
                    topicPartition: partition.map { TopicPartition(topic: topic, partition: $0) }
                )
            }
            rd_kafka_poll(handle, 10)
        }
    }

    /// Waits until every record sent so far is delivered or failed.
    ///
    /// - Throws: ``KafkaError/Code/deliveryFailed`` if any record failed since the previous flush
    ///   (carrying the first failure's librdkafka code and partition; the failure count is then
    ///   reset), else ``KafkaError/Code/flushTimeout`` if records remain after `timeout`.
    public func flush(timeout: Duration = .seconds(30)) throws {
        let result = rd_kafka_flush(handle, timeout.rdKafkaMilliseconds)
        let remaining = Int(rd_kafka_outq_len(handle))
        let failures = context.deliveries.withLock { state in
            defer {
                state.failed = 0
                state.firstFailure = nil
            }
            return (count: state.failed, first: state.firstFailure)
        }
        if failures.count > 0, var error = failures.first {
            error.code = .deliveryFailed
            error.message =
                "\(failures.count) record(s) failed delivery"
                + (remaining > 0 ? " and \(remaining) are still undelivered" : "") + "; first: \(error.message)"
            throw error
        }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR || remaining > 0 {
            throw KafkaError(
                code: .flushTimeout,
                message: "\(remaining) record(s) still undelivered after \(timeout)",
                librdkafkaCode: result.rawValue,
                librdkafkaName: String(cString: rd_kafka_err2name(result))
            )
        }
    }

    /// Records acknowledged by the cluster since the producer was created.
    public var deliveredCount: Int {
        context.deliveries.withLock { $0.delivered }
    }

    /// Records that failed since the last ``flush(timeout:)``.
    public var failedCount: Int {
        context.deliveries.withLock { $0.failed }
    }
}

final class ProducerContext: RDKafkaClientContext {
    struct Deliveries {
        var delivered = 0
        var failed = 0
        var firstFailure: KafkaError?
    }

    let deliveries = Locked(Deliveries())
}

private func producerDeliveryCallback(
    handle: OpaquePointer?,
    message: UnsafePointer<rd_kafka_message_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let message, let opaque else {
        return
    }
    let context = Unmanaged<ProducerContext>.fromOpaque(opaque).takeUnretainedValue()
    let error = message.pointee.err
    if error == RD_KAFKA_RESP_ERR_NO_ERROR {
        context.deliveries.withLock { $0.delivered += 1 }
        return
    }
    let isFirst = context.deliveries.withLock { state in
        state.failed += 1
        return state.firstFailure == nil
    }
    guard isFirst else {
        return
    }
    let partition = message.pointee.rkt.map {
        TopicPartition(topic: String(cString: rd_kafka_topic_name($0)), partition: message.pointee.partition)
    }
    let failure = KafkaError(
        code: .deliveryFailed, message: "delivery failed", rdKafkaError: error, topicPartition: partition)
    context.logger.error("Kafka delivery failed", metadata: ["error": "\(failure)"])
    context.deliveries.withLock { state in
        if state.firstFailure == nil {
            state.firstFailure = failure
        }
    }
}
