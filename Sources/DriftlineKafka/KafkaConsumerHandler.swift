/// The application side of a ``KafkaConsumer``.
///
/// Every method is called on the consumer's poll thread, one at a time, so an implementation needs
/// no locking for state only these methods touch. They run inside the poll loop: a slow handler
/// delays the next poll, and one that blocks longer than `max.poll.interval.ms` gets the consumer
/// evicted from its group.
public protocol KafkaConsumerHandler: AnyObject {
    /// Records fetched in one loop iteration. The batch and its buffers are valid only during the call.
    func consume(_ batch: KafkaMessageBatch, from consumer: KafkaConsumer)

    /// The group gave this member `partitions`. Return the offset to start each at, read from the
    /// application's own store; a partition missing from the result starts at the earliest
    /// retained record.
    ///
    /// Throwing (the store is unreachable) makes the consumer log the error and call again with
    /// back-off until this succeeds or ``KafkaConsumer/stop()`` is called.
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) throws
        -> [TopicPartition: Int64]

    /// `partitions` are about to be taken away (a rebalance, or ``KafkaConsumer/stop()``): persist
    /// the results and offsets of what was consumed from them now. Only partitions that
    /// ``partitionsAssigned(_:consumer:)`` accepted are passed; every message fetched before the
    /// revocation has already been passed to ``consume(_:from:)``.
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer)

    /// Called after every poll-loop iteration (at least every poll timeout), to run timers such as
    /// a periodic flush on the poll thread.
    func tick(consumer: KafkaConsumer)

    /// A message-level or client-level error that librdkafka reported and will recover from by
    /// itself (a broker went away, a topic does not exist yet, …).
    func consumerError(_ error: KafkaError, consumer: KafkaConsumer)
}
