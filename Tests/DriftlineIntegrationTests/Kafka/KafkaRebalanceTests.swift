import DriftlineKafka
import DriftlineTestSupport
import Foundation
import Testing

@Suite("Consumer-group rebalances on the mock cluster", .timeLimit(.minutes(3)))
struct KafkaRebalanceTests {
    /// Two members of one group: the second joins while the first is consuming. The first must
    /// hand its partitions back through the revoke callback (where it persists its positions),
    /// both resume from the offsets their assignment callback read back, and together they see
    /// every record exactly once.
    @Test(arguments: ["range,roundrobin", "cooperative-sticky"])
    func secondMemberJoiningSplitsThePartitions(assignmentStrategy: String) async throws {
        let cluster = try MockKafkaCluster(brokers: 2)
        let topic = uniqueName("rebalance")
        let partitions: Int32 = 8
        try cluster.createTopic(topic, partitions: partitions)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<10_000, partitions: partitions)

        let splitSeen = Locked<(first: Set<TopicPartition>, second: Set<TopicPartition>)>(([], []))
        let groupID = uniqueName("group")
        let store = OffsetStore()
        let log = ConsumerLog()
        @Sendable func makeHandler(_ name: String) -> RecordingHandler {
            let handler = RecordingHandler(name: name, log: log)
            handler.startOffsets = { assigned in
                var offsets: [TopicPartition: Int64] = [:]
                for partition in assigned {
                    offsets[partition] = store[partition]
                }
                return offsets
            }
            handler.onRevoke = { _, positions in store.save(positions) }
            return handler
        }
        let configuration = cluster.consumerConfiguration(
            groupID: groupID, properties: ["partition.assignment.strategy": assignmentStrategy])
        let first = try KafkaConsumer(configuration: configuration)
        try first.subscribe(topics: [topic])
        let second = try KafkaConsumer(configuration: configuration)
        try second.subscribe(topics: [topic])

        try await withRunningConsumer(first, handler: makeHandler("first")) {
            try await waitUntil("the first member consumed the backlog") { log.recordCount >= 10_000 }
            try await withRunningConsumer(second, handler: makeHandler("second")) {
                // Keep producing while the group rebalances.
                for chunk in 0..<10 {
                    try produceIndexed(
                        producer, topic: topic, range: (10_000 + chunk * 1000)..<(11_000 + chunk * 1000),
                        partitions: partitions)
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await waitUntil("the two members split the partitions") {
                    let events = log.events
                    let first = owned(by: "first", events)
                    let second = owned(by: "second", events)
                    return !first.isEmpty && !second.isEmpty && first.isDisjoint(with: second)
                        && first.union(second).count == Int(partitions)
                }
                let events = log.events
                splitSeen.withLock { $0 = (owned(by: "first", events), owned(by: "second", events)) }
                try produceIndexed(producer, topic: topic, range: 20_000..<30_000, partitions: partitions)
                try await waitUntil("all 30000 records arrived") { Set(log.records.map(\.key)).count >= 30_000 }
                try await Task.sleep(for: .milliseconds(500))
            }
        }

        let events = log.events
        func assignments(_ name: String) -> [Set<TopicPartition>] {
            events.compactMap { event in
                if case .assigned(name, let partitions, _) = event { return partitions }
                return nil
            }
        }
        let all = Set((0..<partitions).map { TopicPartition(topic: topic, partition: $0) })
        #expect(assignments("first").first == all)
        let split = splitSeen.withLock { $0 }
        // The first member gave up what the second got through its revoke callback: everything
        // under the eager protocol, only the moved partitions under the cooperative one.
        let firstRevocations = events.compactMap { event -> Set<TopicPartition>? in
            if case .revoked("first", let partitions) = event { return partitions }
            return nil
        }
        #expect(firstRevocations.contains { $0.isSuperset(of: split.second) })
        if assignmentStrategy == "cooperative-sticky" {
            #expect(firstRevocations.first == split.second)
        } else {
            #expect(firstRevocations.first == all)
        }
        // After the rebalance the two members split the partitions between them.
        #expect(!split.first.isEmpty)
        #expect(!split.second.isEmpty)
        #expect(split.first.isDisjoint(with: split.second))
        #expect(split.first.union(split.second) == all)
        #expect(assignments("second").contains(split.second))

        // Every assignment started at what the store held, and records followed contiguously
        // from there (RecordingHandler checks that); positions were persisted on revoke, so
        // nothing was delivered twice.
        #expect(log.violations == [])
        let records = log.records
        #expect(records.count == 30_000)
        #expect(Set(records.map(\.key)).count == 30_000)
        #expect(records.contains { $0.consumer == "second" })
        for event in events {
            if case .assigned(let name, let partitions, let offsets) = event, name == "second" {
                for partition in partitions {
                    let firstOffset = records.first { $0.consumer == "second" && $0.partition == partition }?.offset
                    #expect(firstOffset == nil || firstOffset == offsets[partition] ?? 0)
                }
            }
        }
        cluster.close()
    }

    /// The partitions `consumer` holds after replaying its assign and revoke events.
    private func owned(by consumer: String, _ events: [ConsumerEvent]) -> Set<TopicPartition> {
        var owned: Set<TopicPartition> = []
        for event in events {
            switch event {
            case .assigned(consumer, let partitions, _): owned.formUnion(partitions)
            case .revoked(consumer, let partitions): owned.subtract(partitions)
            default: break
            }
        }
        return owned
    }
}
