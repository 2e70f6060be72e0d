public import DriftlineKafka

extension MockKafkaCluster {
    /// Client settings that keep mock-cluster tests short: group joins and rebalances on the mock
    /// wait for up to `session.timeout.ms` (minus a second) for members, and reconnects and
    /// metadata refreshes happen within a second.
    public static let fastTestProperties: [String: String] = [
        "session.timeout.ms": "3000",
        "heartbeat.interval.ms": "300",
        "topic.metadata.refresh.interval.ms": "1000",
        "reconnect.backoff.ms": "50",
        "reconnect.backoff.max.ms": "500",
        "fetch.wait.max.ms": "50",
        // Tests close clusters under idle clients; those disconnects are expected, not news.
        "log.connection.close": "false",
    ]

    /// A consumer configuration for this cluster with ``fastTestProperties``; `properties` win.
    public func consumerConfiguration(groupID: String, properties: [String: String] = [:]) -> KafkaConfiguration {
        TestLogging.bootstrap()
        return KafkaConfiguration(
            bootstrapServers: bootstrapServers,
            groupID: groupID,
            clientID: "driftline-test-consumer",
            properties: Self.fastTestProperties.merging(properties) { _, new in new }
        )
    }

    /// A producer configuration for this cluster; `properties` win.
    public func producerConfiguration(properties: [String: String] = [:]) -> KafkaConfiguration {
        TestLogging.bootstrap()
        return KafkaConfiguration(
            bootstrapServers: bootstrapServers,
            clientID: "driftline-test-producer",
            properties: ["reconnect.backoff.max.ms": "500", "log.connection.close": "false"].merging(properties) {
                _, new in new
            }
        )
    }
}
