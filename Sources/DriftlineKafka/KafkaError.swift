/// An error from the Kafka client: what failed, where, and librdkafka's own error when there is one.
///
/// Match on ``code`` (an extensible set of `static let` values, so new cases are not source-breaking);
/// ``librdkafkaCode`` and ``librdkafkaName`` carry the `rd_kafka_resp_err_t` behind the failure
/// (negative values are client-local errors such as `_QUEUE_FULL`, positive ones come from a broker).
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case configuration
            case clientCreation
            case subscription
            case consumer
            case assignment
            case partitionControl
            case seek
            case watermarks
            case notOnPollThread
            case consumerClosed
            case alreadyRunning
            case fatal
            case produce
            case flushTimeout
            case deliveryFailed
            case mockCluster
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A configuration property was unknown or had an invalid value; ``KafkaError/property`` names it.
        public static let configuration = Code(.configuration)
        /// `rd_kafka_new` refused the configuration.
        public static let clientCreation = Code(.clientCreation)
        /// Subscribing to topics failed.
        public static let subscription = Code(.subscription)
        /// A message-level or client-level error reported while consuming (broker down, unknown topic, …).
        public static let consumer = Code(.consumer)
        /// Assigning or unassigning partitions after a rebalance failed.
        public static let assignment = Code(.assignment)
        /// Pausing, resuming or reading the assignment failed.
        public static let partitionControl = Code(.partitionControl)
        /// Seeking a partition failed.
        public static let seek = Code(.seek)
        /// Querying watermark offsets failed.
        public static let watermarks = Code(.watermarks)
        /// A method reserved for the poll thread was called from another thread.
        public static let notOnPollThread = Code(.notOnPollThread)
        /// The consumer has finished running and its librdkafka handle is gone.
        public static let consumerClosed = Code(.consumerClosed)
        /// `run(handler:)` was called a second time.
        public static let alreadyRunning = Code(.alreadyRunning)
        /// librdkafka raised a fatal error; the client cannot continue.
        public static let fatal = Code(.fatal)
        /// A message could not be enqueued for sending.
        public static let produce = Code(.produce)
        /// `flush` returned with messages still undelivered.
        public static let flushTimeout = Code(.flushTimeout)
        /// At least one message failed delivery since the last flush.
        public static let deliveryFailed = Code(.deliveryFailed)
        /// A mock-cluster operation failed.
        public static let mockCluster = Code(.mockCluster)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    /// The `rd_kafka_resp_err_t` value, when librdkafka reported one.
    public var librdkafkaCode: Int32?
    /// librdkafka's symbolic name for ``librdkafkaCode`` (e.g. `_QUEUE_FULL`, `TOPIC_AUTHORIZATION_FAILED`).
    public var librdkafkaName: String?
    /// The configuration property at fault, for ``Code/configuration`` errors.
    public var property: String?
    public var topicPartition: TopicPartition?
    public var offset: Int64?

    public init(
        code: Code,
        message: String,
        librdkafkaCode: Int32? = nil,
        librdkafkaName: String? = nil,
        property: String? = nil,
        topicPartition: TopicPartition? = nil,
        offset: Int64? = nil
    ) {
        self.code = code
        self.message = message
        self.librdkafkaCode = librdkafkaCode
        self.librdkafkaName = librdkafkaName
        self.property = property
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public var description: String {
        var text = "Kafka \(code) error: \(message)"
        if let property {
            text += " [property \(property)]"
        }
        if let topicPartition {
            text += " [\(topicPartition)"
            if let offset {
                text += " offset \(offset)"
            }
            text += "]"
        }
        if let librdkafkaCode {
            text += " (librdkafka \(librdkafkaName ?? "?") \(librdkafkaCode))"
        }
        return text
    }
}
