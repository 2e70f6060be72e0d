extension PipelineConfiguration {
    /// `kafka:` — the brokers, the consumer group and the topics.
    public struct KafkaSettings: Codable, Sendable, Equatable {
        /// `bootstrap.servers`.
        public var brokers = "127.0.0.1:9092"
        public var groupID = "driftline"
        public var clientID = "driftline"
        /// `group.instance.id`: static group membership (KIP-345). A member that restarts with
        /// the same id within `session.timeout.ms` gets its partitions back without a
        /// rebalance, so a crashed process resumes at once instead of idling until the session
        /// times out. Every member needs its own stable id (the pod or container name);
        /// `env:NAME` reads it from the environment, and `KAFKA_GROUP_INSTANCE_ID` overrides it.
        ///
        /// The trade-off is `session.timeout.ms` (librdkafka's default 45 s, set it in
        /// `properties`): a static member does not leave the group when it stops, so its
        /// partitions wait that long before another member takes them, after a crash and after
        /// a planned stop alike. A short timeout hands partitions over sooner; a long one rides
        /// out slower restarts without a rebalance. Without an id, a restarted member is a new
        /// member, and the old one's partitions wait for the session timeout all the same.
        public var groupInstanceID: String?
        public var topics = [TopicSettings(name: "llm.requests", format: .nativeJSON)]
        /// Passed to librdkafka as they are (`security.protocol`, `sasl.*`, `ssl.*`, `fetch.*`, …).
        /// A value `env:NAME` is read from the environment and `file:PATH` from a file, so secrets
        /// stay out of the config file.
        public var properties: [String: String] = [:]
        /// Messages pulled per poll batch.
        public var batchSize = 2048

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case brokers, topics, properties
            case groupID = "group_id"
            case clientID = "client_id"
            case groupInstanceID = "group_instance_id"
            case batchSize = "batch_size"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            brokers = try container.decodeIfPresent(String.self, forKey: .brokers) ?? brokers
            groupID = try container.decodeIfPresent(String.self, forKey: .groupID) ?? groupID
            clientID = try container.decodeIfPresent(String.self, forKey: .clientID) ?? clientID
            groupInstanceID = try container.decodeIfPresent(String.self, forKey: .groupInstanceID)
            topics = try container.decodeIfPresent([TopicSettings].self, forKey: .topics) ?? topics
            properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? properties
            batchSize = try container.decodeInteger(.batchSize, expected: "an integer number of messages") ?? batchSize
        }
    }
}
