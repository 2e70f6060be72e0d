import CRdKafka
import Foundation
public import Logging

/// A consumer-group member that leaves offsets to the application.
///
/// librdkafka never commits or stores offsets for this consumer (`enable.auto.commit` and
/// `enable.auto.offset.store` are forced off): the application keeps them in its own store, writes
/// them with the results they produced, and hands them back in
/// ``KafkaConsumerHandler/partitionsAssigned(_:consumer:)`` whenever the group gives it partitions.
///
/// ## Threads
/// ``run(handler:)`` polls librdkafka on a dedicated thread (never on Swift's cooperative pool,
/// since the polls block) and calls every handler method there, one at a time.
/// - ``subscribe(topics:)``, ``stop()`` and ``watermarks(topic:partition:timeout:)`` may be called
///   from any thread.
/// - ``pause(_:)``, ``resume(_:)``, ``seek(_:timeout:)`` and ``assignment()`` must be called from
///   the handler's methods, on the poll thread; elsewhere they throw ``KafkaError/Code/notOnPollThread``.
///
/// The class is `@unchecked Sendable` because its mutable state is split by those rules: the
/// lifecycle sits behind a lock, the rest belongs to the poll thread while ``run(handler:)`` runs.
public final class KafkaConsumer: @unchecked Sendable {
    public static let defaultMaxBatchSize = 2048

    private enum Lifecycle {
        case idle
        case running(Thread)
        case finished
    }

    /// The `rd_kafka_t`; valid until the lifecycle becomes `.finished`.
    let handle: OpaquePointer
    private let context: ConsumerContext
    let logger: Logger
    private let maxBatchSize: Int
    private let pollTimeoutMilliseconds: Int32
    let stopSignal = StopSignal()
    /// Short critical sections only: the poll thread checks it on every `pause`/`seek` call.
    private let lifecycle = Locked(Lifecycle.idle)
    /// Guarded by `lifecycle`.
    private var subscription: [String]?
    /// `true` once the handle is destroyed. Held across calls that may block (watermark queries)
    /// from other threads, so the poll thread cannot destroy the handle under them.
    private let handleDestroyed = Locked(false)

    // Owned by the poll thread while `run` runs.
    private(set) var handler: (any KafkaConsumerHandler)?
    private let pending: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>>
    private var pendingCount = 0
    private var pendingTopics: [String] = []
    private var topicNames = TopicNameCache()
    var ownedPartitions: Set<TopicPartition> = []
    private var terminalError: KafkaError?

    /// - Parameters:
    ///   - configuration: must have a group id.
    ///   - maxBatchSize: the most records handed to ``KafkaConsumerHandler/consume(_:from:)`` at once.
    ///   - pollTimeout: how long one loop iteration waits for the first record; bounds how late
    ///     ``KafkaConsumerHandler/tick(consumer:)`` and ``stop()`` are seen when the topic is idle.
    public init(
        configuration: KafkaConfiguration,
        maxBatchSize: Int = KafkaConsumer.defaultMaxBatchSize,
        pollTimeout: Duration = .milliseconds(100),
        logger: Logger = Logger(label: "driftline.kafka.consumer")
    ) throws {
        let defaults = [
            ("enable.partition.eof", "false"),
            // A stored offset that retention already deleted restarts at the oldest record left:
            // re-reading beats silently skipping.
            ("auto.offset.reset", "earliest"),
        ]
        for property in ["enable.auto.commit", "enable.auto.offset.store"] {
            if let value = configuration.properties[property], value != "false" {
                throw KafkaError(
                    code: .configuration,
                    message: "'\(property)' must be false: offsets are stored by the application, "
                        + "not by librdkafka (got '\(value)')",
                    property: property
                )
            }
        }
        guard configuration.effectiveValue(of: "group.id", defaults: defaults) != nil else {
            throw KafkaError(
                code: .configuration,
                message: "a consumer needs a group id (KafkaConfiguration.groupID)",
                property: "group.id"
            )
        }
        let properties =
            configuration.orderedProperties(defaults: defaults) + [
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
            ]
        let context = ConsumerContext(logger: logger)
        let handle = try RDKafkaClient.makeHandle(type: RD_KAFKA_CONSUMER, properties: properties, context: context) {
            rd_kafka_conf_set_rebalance_cb($0, consumerRebalanceCallback)
        }
        // Serves rebalance and error events from rd_kafka_consumer_poll, on the poll thread.
        let redirect = rd_kafka_poll_set_consumer(handle)
        if redirect != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_destroy(handle)
            throw KafkaError(
                code: .clientCreation, message: "rd_kafka_poll_set_consumer failed", rdKafkaError: redirect)
        }
        self.handle = handle
        self.context = context
        self.logger = logger
        self.maxBatchSize = max(1, maxBatchSize)
        self.pollTimeoutMilliseconds = pollTimeout.rdKafkaMilliseconds
        self.pending = .allocate(capacity: self.maxBatchSize)
        self.pendingTopics.reserveCapacity(self.maxBatchSize)
        context.consumer = self
    }

    deinit {
        let neverRan = lifecycle.withLock { state in
            if case .idle = state {
                return true
            }
            return false
        }
        if neverRan {
            rd_kafka_consumer_close(handle)
            rd_kafka_destroy(handle)
        }
        pending.deallocate()
    }

    /// Sets the topics to consume (replacing any earlier subscription).
    ///
    /// Before ``run(handler:)`` the subscription is only recorded: librdkafka joins the group as
    /// soon as it subscribes, and a member that joined but does not poll yet would hold its share
    /// of the partitions, unconsumed, until `max.poll.interval.ms` expires.
    public func subscribe(topics: [String]) throws {
        guard !topics.isEmpty else {
            throw KafkaError(code: .subscription, message: "subscribing needs at least one topic")
        }
        try lifecycle.withLock { state in
            switch state {
            case .idle:
                subscription = topics
            case .running:
                subscription = topics
                try applySubscription(topics)
            case .finished:
                throw KafkaError(code: .consumerClosed, message: "the consumer has finished running")
            }
        }
    }

    /// Called with `lifecycle` locked.
    private func applySubscription(_ topics: [String]) throws {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics {
            list.add(TopicPartition(topic: topic, partition: RDKafkaConstants.partitionUnassigned))
        }
        let result = rd_kafka_subscribe(handle, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(
                code: .subscription,
                message: "subscribing to \(topics.joined(separator: ", ")) failed",
                rdKafkaError: result
            )
        }
    }

    /// Runs the poll loop on a dedicated thread until ``stop()`` is called (or the calling task is
    /// cancelled), then leaves the group, which revokes the partitions through the handler, and
    /// destroys the librdkafka client. A consumer runs once.
    ///
    /// - Parameter handler: handed over to the poll thread, which alone calls it from now on.
    /// - Throws: ``KafkaError/Code/alreadyRunning`` on a second call,
    ///   ``KafkaError/Code/subscription`` when the recorded subscription is refused,
    ///   ``KafkaError/Code/fatal`` when librdkafka raised a fatal error.
    public func run(handler: sending any KafkaConsumerHandler) async throws {
        let transfer = UncheckedSendable(value: handler)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread { [self] in
                    continuation.resume(with: pollLoop(handler: transfer.value))
                }
                thread.name = "driftline-kafka-poll"
                let started = lifecycle.withLock { state in
                    guard case .idle = state else {
                        return false
                    }
                    state = .running(thread)
                    return true
                }
                guard started else {
                    continuation.resume(
                        throwing: KafkaError(code: .alreadyRunning, message: "KafkaConsumer.run was already called")
                    )
                    return
                }
                thread.start()
            }
        } onCancel: {
            stop()
        }
    }

    /// Asks the poll loop to finish; ``run(handler:)`` returns once the consumer has left the
    /// group. Also ends an assignment retry loop. Safe from any thread, including the handler's.
    public func stop() {
        stopSignal.stop()
    }

    /// The oldest and next offsets of a partition, asked from its leader.
    public func watermarks(
        topic: String,
        partition: Int32,
        timeout: Duration = .seconds(5)
    ) throws -> (low: Int64, high: Int64) {
        try withLiveHandle { handle in
            var low: Int64 = 0
            var high: Int64 = 0
            let result = rd_kafka_query_watermark_offsets(
                handle, topic, partition, &low, &high, timeout.rdKafkaMilliseconds)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(
                    code: .watermarks,
                    message: "querying watermark offsets failed",
                    rdKafkaError: result,
                    topicPartition: TopicPartition(topic: topic, partition: partition)
                )
            }
            return (low, high)
        }
    }

    /// The oldest and next offsets of a partition as last seen in fetch responses, without asking
    /// a broker (`rd_kafka_get_watermark_offsets`): cheap enough for the poll thread, and nil until
    /// a fetch of the partition has answered. Stale while the partition is paused.
    public func cachedWatermarks(topic: String, partition: Int32) -> (low: Int64, high: Int64)? {
        try? withLiveHandle { handle in
            var low: Int64 = -1
            var high: Int64 = -1
            let result = rd_kafka_get_watermark_offsets(handle, topic, partition, &low, &high)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR, low >= 0, high >= 0 else { return nil }
            return (low, high)
        }
    }

    /// Stops fetching from `partitions` (poll thread only). Records already fetched but not yet
    /// handed to the handler are discarded by librdkafka and fetched again after ``resume(_:)``.
    public func pause(_ partitions: [TopicPartition]) throws {
        try requirePollThread("pause")
        let list = RDKafkaTopicPartitionList(partitions)
        try checkPartitionResult(rd_kafka_pause_partitions(handle, list.pointer), list, action: "pausing")
    }

    /// Restarts fetching from `partitions` at the record after the last one delivered (poll thread only).
    public func resume(_ partitions: [TopicPartition]) throws {
        try requirePollThread("resume")
        let list = RDKafkaTopicPartitionList(partitions)
        try checkPartitionResult(rd_kafka_resume_partitions(handle, list.pointer), list, action: "resuming")
    }

    /// Moves assigned partitions to new offsets (poll thread only); the next records delivered for
    /// them start there.
    public func seek(_ offsets: [TopicPartition: Int64], timeout: Duration = .seconds(10)) throws {
        try requirePollThread("seek")
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        if let error = rd_kafka_seek_partitions(handle, list.pointer, timeout.rdKafkaMilliseconds) {
            throw KafkaError(code: .seek, message: "seeking \(offsets.count) partitions failed", consuming: error)
        }
        if let (partition, error) = list.firstPartitionError {
            throw KafkaError(
                code: .seek, message: "seek failed", rdKafkaError: error, topicPartition: partition,
                offset: offsets[partition])
        }
    }

    /// The partitions currently assigned to this member (poll thread only).
    public func assignment() throws -> [TopicPartition] {
        try requirePollThread("assignment")
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(handle, &list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError(code: .partitionControl, message: "reading the assignment failed", rdKafkaError: result)
        }
        return RDKafkaTopicPartitionList(owning: list).topicPartitions
    }

    // MARK: - Poll loop

    private func pollLoop(handler: any KafkaConsumerHandler) -> Result<Void, any Error> {
        self.handler = handler
        logger.debug("Kafka poll loop started")
        do {
            try lifecycle.withLock { _ in
                if let subscription {
                    try applySubscription(subscription)
                }
            }
        } catch let error as KafkaError {
            terminalError = error
        } catch {
            terminalError = KafkaError(code: .subscription, message: "\(error)")
        }
        while !stopSignal.isStopped && terminalError == nil {
            pollBatch()
            deliverPending()
            handler.tick(consumer: self)
        }
        let closeResult = rd_kafka_consumer_close(handle)
        if closeResult != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning(
                "Leaving the consumer group failed",
                metadata: ["error": "\(String(cString: rd_kafka_err2str(closeResult)))"])
        }
        // Waits for watermark queries from other threads to finish before the handle goes away.
        handleDestroyed.withLock { destroyed in
            rd_kafka_destroy(handle)
            destroyed = true
        }
        lifecycle.withLock { $0 = .finished }
        self.handler = nil
        ownedPartitions.removeAll()
        logger.debug("Kafka poll loop finished")
        if let terminalError {
            return .failure(terminalError)
        }
        return .success(())
    }

    /// Collects up to `maxBatchSize` records: waits for the first, then takes only what is already
    /// queued.
    private func pollBatch() {
        var timeout = pollTimeoutMilliseconds
        while pendingCount < maxBatchSize && terminalError == nil {
            guard let message = rd_kafka_consumer_poll(handle, timeout) else {
                return
            }
            timeout = 0
            let error = message.pointee.err
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                handleMessageError(message, error)
                rd_kafka_message_destroy(message)
                continue
            }
            pendingTopics.append(topicNames.name(of: message.pointee.rkt))
            pending[pendingCount] = message
            pendingCount += 1
        }
    }

    func deliverPending() {
        guard pendingCount > 0 else {
            return
        }
        if let handler {
            let batch = KafkaMessageBatch(
                messages: UnsafeBufferPointer(start: pending, count: pendingCount),
                topics: pendingTopics
            )
            handler.consume(batch, from: self)
        }
        for index in 0..<pendingCount {
            rd_kafka_message_destroy(pending[index])
        }
        pendingCount = 0
        pendingTopics.removeAll(keepingCapacity: true)
        topicNames.startBatch()
    }

    private func handleMessageError(_ message: UnsafeMutablePointer<rd_kafka_message_t>, _ error: rd_kafka_resp_err_t) {
        if error == RD_KAFKA_RESP_ERR__PARTITION_EOF {
            return
        }
        if error == RD_KAFKA_RESP_ERR__FATAL {
            let failure =
                RDKafkaClient.raisedFatalError(of: handle)
                ?? KafkaError(code: .fatal, message: "librdkafka raised a fatal error", rdKafkaError: error)
            logger.critical("Kafka consumer stopping on a fatal error", metadata: ["error": "\(failure)"])
            terminalError = failure
            return
        }
        let partition = message.pointee.rkt.map {
            TopicPartition(topic: String(cString: rd_kafka_topic_name($0)), partition: message.pointee.partition)
        }
        let kafkaError = KafkaError(
            code: .consumer,
            message: String(cString: rd_kafka_message_errstr(message)),
            librdkafkaCode: error.rawValue,
            librdkafkaName: String(cString: rd_kafka_err2name(error)),
            topicPartition: partition,
            offset: partition == nil || message.pointee.offset < 0 ? nil : message.pointee.offset
        )
        handler?.consumerError(kafkaError, consumer: self)
    }

    // MARK: - Thread rules

    private func requirePollThread(_ operation: String) throws {
        let onPollThread = lifecycle.withLock { state in
            if case .running(let thread) = state {
                return thread === Thread.current
            }
            return false
        }
        guard onPollThread else {
            throw KafkaError(
                code: .notOnPollThread,
                message: "KafkaConsumer.\(operation) must be called from a KafkaConsumerHandler method"
            )
        }
    }

    private func withLiveHandle<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        try handleDestroyed.withLock { destroyed in
            if destroyed {
                throw KafkaError(code: .consumerClosed, message: "the consumer has finished running")
            }
            return try body(handle)
        }
    }

    private func checkPartitionResult(
        _ result: rd_kafka_resp_err_t,
        _ list: borrowing RDKafkaTopicPartitionList,
        action: String
    ) throws {
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .partitionControl, message: "\(action) partitions failed", rdKafkaError: result)
        }
        if let (partition, error) = list.firstPartitionError {
            throw KafkaError(
                code: .partitionControl, message: "\(action) partition failed", rdKafkaError: error,
                topicPartition: partition)
        }
    }
}
