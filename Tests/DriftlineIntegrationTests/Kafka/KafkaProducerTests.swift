import DriftlineKafka
import DriftlineTestSupport
import Testing

@Suite("KafkaProducer against the mock cluster", .timeLimit(.minutes(2)))
struct KafkaProducerTests {
    /// Kafka protocol error MESSAGE_TOO_LARGE: permanent for the records in that request, so they
    /// fail at once, but it leaves the topic usable (unlike authorization errors).
    private static let messageTooLarge: Int32 = 10

    @Test func flushReportsFailedDeliveriesOnce() throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("produce-errors")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try producer.send(topic: topic, value: "warm-up")
        try producer.flush(timeout: .seconds(30))

        // One Produce request fails; the record in it is not retried for a permanent error.
        try cluster.pushRequestErrors(apiKey: MockKafkaCluster.APIKey.produce, errors: [Self.messageTooLarge])
        try producer.send(topic: topic, key: [1, 2] as [UInt8], value: [3, 4, 5] as [UInt8])
        do {
            try producer.flush(timeout: .seconds(30))
            Issue.record("flush should throw for a failed delivery")
        } catch let error as KafkaError {
            #expect(error.code == .deliveryFailed)
            #expect(error.librdkafkaCode == Self.messageTooLarge)
            #expect(error.librdkafkaName == "MSG_SIZE_TOO_LARGE")
            #expect(error.topicPartition == TopicPartition(topic: topic, partition: 0))
        }
        #expect(producer.failedCount == 0)

        // The failure was reported once; later records go through and flush succeeds again.
        let bytes: [UInt8] = Array("after".utf8)
        try bytes.withUnsafeBytes { try producer.send(topic: topic, value: $0, partition: 0) }
        // Empty bytes are sent as an empty key and value, not as nothing.
        try producer.send(topic: topic, key: [UInt8](), value: [UInt8]())
        try producer.flush(timeout: .seconds(30))
        #expect(producer.deliveredCount == 3)
        cluster.close()
    }

    @Test func flushTimesOutWhileTheBrokerIsDown() throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("produce-timeout")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try producer.send(topic: topic, key: nil, value: Array("before".utf8))
        try producer.flush(timeout: .seconds(30))

        try cluster.setBrokerDown()
        try producer.send(topic: topic, value: "while down")
        do {
            try producer.flush(timeout: .milliseconds(300))
            Issue.record("flush should time out while the broker is down")
        } catch let error as KafkaError {
            #expect(error.code == .flushTimeout)
        }
        try cluster.setBrokerUp()
        try producer.flush(timeout: .seconds(30))
        #expect(producer.deliveredCount == 2)
        cluster.close()
    }

    @Test func sendToAMissingPartitionThrows() throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("produce-partition")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try producer.send(topic: topic, value: "known")
        try producer.flush(timeout: .seconds(30))
        // Once metadata is known, librdkafka refuses a partition the topic does not have; before,
        // the record fails at delivery. Either way the caller hears of it.
        do {
            try producer.send(topic: topic, value: "nowhere", partition: 7)
            try producer.flush(timeout: .seconds(30))
            Issue.record("a record for partition 7 of a 2-partition topic should fail")
        } catch let error as KafkaError {
            #expect(error.code == .produce || error.code == .deliveryFailed)
        }
        cluster.close()
    }
}
