import CRdKafka
public import Logging

/// librdkafka's in-process mock Kafka cluster, for tests and benchmarks.
///
/// Brokers listen on loopback ports given by ``bootstrapServers``; any number of clients can
/// connect. The mock keeps only about 5 MB per partition and drops older records, so size test
/// data (or the partition count) accordingly. Methods are safe from any thread.
public final class MockKafkaCluster: @unchecked Sendable {
    /// Kafka protocol request types, for ``pushRequestErrors(apiKey:errors:)``.
    public enum APIKey {
        public static let produce: Int16 = 0
        public static let fetch: Int16 = 1
        public static let listOffsets: Int16 = 2
        public static let metadata: Int16 = 3
        public static let offsetCommit: Int16 = 8
        public static let offsetFetch: Int16 = 9
        public static let findCoordinator: Int16 = 10
        public static let joinGroup: Int16 = 11
        public static let heartbeat: Int16 = 12
        public static let syncGroup: Int16 = 14
    }

    /// A client handle the mock needs for its bookkeeping; it must outlive the cluster.
    private let handle: OpaquePointer
    private let context: RDKafkaClientContext
    /// `nil` once closed.
    private let cluster: Locked<OpaquePointer?>
    /// Comma-separated `host:port` list, ready for ``KafkaConfiguration/init(bootstrapServers:groupID:clientID:properties:)``.
    public let bootstrapServers: String

    public init(brokers: Int32 = 1, logger: Logger = Logger(label: "driftline.kafka.mock")) throws {
        let context = RDKafkaClientContext(logger: logger)
        // The handle never connects anywhere, so its "no bootstrap.servers" notice is noise.
        let handle = try RDKafkaClient.makeHandle(
            type: RD_KAFKA_PRODUCER, properties: [("log_level", "4")], context: context)
        guard let cluster = rd_kafka_mock_cluster_new(handle, brokers) else {
            rd_kafka_destroy(handle)
            throw KafkaError(code: .mockCluster, message: "creating a mock cluster with \(brokers) broker(s) failed")
        }
        self.handle = handle
        self.context = context
        self.cluster = Locked(cluster)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        close()
        rd_kafka_destroy(handle)
    }

    /// Shuts the brokers down; later calls on this object throw. Connected clients see their
    /// brokers disappear, so stop them first.
    public func close() {
        cluster.withLock { cluster in
            if let existing = cluster {
                rd_kafka_mock_cluster_destroy(existing)
                cluster = nil
            }
        }
    }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try withCluster { cluster in
            let result = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(
                    code: .mockCluster,
                    message: "creating topic '\(name)' with \(partitions) partition(s) failed",
                    rdKafkaError: result)
            }
        }
    }

    /// Makes the next `errors.count` requests of type `apiKey` (see ``APIKey``) fail, one error
    /// each, in order. Errors are Kafka protocol error codes (e.g. 29 TOPIC_AUTHORIZATION_FAILED),
    /// or librdkafka's -195 (`_TRANSPORT`) to drop the connection instead.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) throws {
        try withCluster { cluster in
            let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
            codes.withUnsafeBufferPointer { codes in
                rd_kafka_mock_push_request_errors_array(cluster, apiKey, codes.count, codes.baseAddress)
            }
        }
    }

    /// Disconnects a broker (`-1`: all) and refuses new connections until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ brokerID: Int32 = -1) throws {
        try withCluster { cluster in
            let result = rd_kafka_mock_broker_set_down(cluster, brokerID)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(
                    code: .mockCluster, message: "taking broker \(brokerID) down failed", rdKafkaError: result)
            }
        }
    }

    public func setBrokerUp(_ brokerID: Int32 = -1) throws {
        try withCluster { cluster in
            let result = rd_kafka_mock_broker_set_up(cluster, brokerID)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(
                    code: .mockCluster, message: "bringing broker \(brokerID) up failed", rdKafkaError: result)
            }
        }
    }

    private func withCluster<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        try cluster.withLock { cluster in
            guard let cluster else {
                throw KafkaError(code: .mockCluster, message: "the mock cluster is closed")
            }
            return try body(cluster)
        }
    }
}
