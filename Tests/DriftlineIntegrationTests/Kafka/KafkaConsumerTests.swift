import DriftlineKafka
import DriftlineTestSupport
import Foundation
import Testing

@Suite("KafkaConsumer against the mock cluster", .timeLimit(.minutes(3)))
struct KafkaConsumerTests {
    @Test func consumesEveryRecordExactlyOnce() async throws {
        let cluster = try MockKafkaCluster(brokers: 3)
        let topic = uniqueName("exactly-once")
        let partitions: Int32 = 8
        let total = 50_000
        try cluster.createTopic(topic, partitions: partitions)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<total, partitions: partitions)

        let consumer = try KafkaConsumer(configuration: cluster.consumerConfiguration(groupID: uniqueName("group")))
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        try await withRunningConsumer(consumer, handler: RecordingHandler(log: log)) {
            try await waitUntil("\(total) records arrived") { log.recordCount >= total }
            // Long enough for a duplicate delivery to show up.
            try await Task.sleep(for: .milliseconds(500))
        }

        let records = log.records
        #expect(records.count == total)
        #expect(log.violations == [])
        var byPartition: [Int32: [Int64]] = [:]
        for record in records {
            byPartition[record.partition.partition, default: []].append(record.offset)
            let index = Int(record.key ?? "") ?? -1
            #expect(record.value == "value-\(index)")
            #expect(Int32(index % Int(partitions)) == record.partition.partition)
        }
        #expect(Set(records.map(\.key)).count == total)
        #expect(byPartition.count == Int(partitions))
        for (partition, offsets) in byPartition {
            #expect(offsets == Array(0..<Int64(offsets.count)), "partition \(partition) offsets are not 0, 1, 2, …")
        }
        cluster.close()
    }

    @Test func startsAtTheOffsetsTheAssignmentHandlerReturns() async throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("start-offsets")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        // 100 records per partition.
        try produceIndexed(producer, topic: topic, range: 0..<400, partitions: 4)

        let consumer = try KafkaConsumer(configuration: cluster.consumerConfiguration(groupID: uniqueName("group")))
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        let handler = RecordingHandler(log: log)
        let calls = Locked(0)
        handler.startOffsets = { partitions in
            // The store is "down" twice: the consumer must retry, not assign without offsets.
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            if call <= 2 {
                throw TestTimeout(description: "offset store unavailable (call \(call))")
            }
            return [
                TopicPartition(topic: topic, partition: 0): 10,
                TopicPartition(topic: topic, partition: 1): 50,
                TopicPartition(topic: topic, partition: 2): 100,
                    // Partition 3 is missing: it must start at the earliest record.
            ]
        }
        try await withRunningConsumer(consumer, handler: handler) {
            try await waitUntil("190 + 100 records arrived") { log.recordCount >= 90 + 50 + 100 }
            try await Task.sleep(for: .milliseconds(300))
        }

        #expect(calls.withLock { $0 } == 3)
        #expect(log.violations == [])
        let records = log.records
        func offsets(_ partition: Int32) -> [Int64] {
            records.filter { $0.partition.partition == partition }.map(\.offset)
        }
        #expect(offsets(0) == Array(10..<100))
        #expect(offsets(1) == Array(50..<100))
        #expect(offsets(2) == [])
        #expect(offsets(3) == Array(0..<100))
        cluster.close()
    }

    @Test func stopEndsAnAssignmentThatKeepsFailing() async throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("store-down")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<10, partitions: 2)

        let consumer = try KafkaConsumer(configuration: cluster.consumerConfiguration(groupID: uniqueName("group")))
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        let handler = RecordingHandler(log: log)
        let calls = Locked(0)
        handler.startOffsets = { _ in
            calls.withLock { $0 += 1 }
            throw TestTimeout(description: "offset store unavailable")
        }
        try await withRunningConsumer(consumer, handler: handler) {
            try await waitUntil("the assignment was retried") { calls.withLock { $0 } >= 2 }
        }
        // Nothing was assigned, so nothing was consumed or revoked.
        #expect(log.recordCount == 0)
        #expect(log.events == [])
        cluster.close()
    }

    @Test func pauseStopsDeliveryAndResumeRestartsIt() async throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("pause")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<500, partitions: 1)

        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(groupID: uniqueName("group")), maxBatchSize: 20)
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        let handler = RecordingHandler(log: log)
        let partition = TopicPartition(topic: topic, partition: 0)
        let pausedAt = Locked<Int?>(nil)
        let resumeRequested = Locked(false)
        handler.onConsume = { _, consumer in
            if pausedAt.withLock({ $0 }) == nil {
                do {
                    try consumer.pause([partition])
                    pausedAt.withLock { $0 = log.recordCount }
                } catch {
                    log.violation("pause failed: \(error)")
                }
            }
        }
        var resumed = false
        handler.onTick = { consumer in
            if !resumed && resumeRequested.withLock({ $0 }) {
                resumed = true
                do {
                    try consumer.resume([partition])
                } catch {
                    log.violation("resume failed: \(error)")
                }
            }
        }
        try await withRunningConsumer(consumer, handler: handler) {
            try await waitUntil("the consumer paused") { pausedAt.withLock { $0 } != nil }
            // Delivery must stay stopped while paused.
            try await Task.sleep(for: .seconds(1))
            let whilePaused = log.recordCount
            #expect(whilePaused == pausedAt.withLock { $0 })
            #expect(whilePaused < 500)
            resumeRequested.withLock { $0 = true }
            try await waitUntil("all records arrived after resume") { log.recordCount >= 500 }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(log.violations == [])
        #expect(log.records.map(\.offset) == Array(0..<500))
        cluster.close()
    }

    @Test func seekRedeliversFromTheNewOffset() async throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("seek")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<200, partitions: 2)

        let consumer = try KafkaConsumer(configuration: cluster.consumerConfiguration(groupID: uniqueName("group")))
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        let handler = RecordingHandler(log: log)
        let partition = TopicPartition(topic: topic, partition: 1)
        let seekRequested = Locked(false)
        let assignment = Locked<[TopicPartition]>([])
        var sought = false
        handler.onTick = { [unowned handler] consumer in
            if !sought && seekRequested.withLock({ $0 }) {
                sought = true
                do {
                    assignment.withLock { $0 = (try? consumer.assignment()) ?? [] }
                    try consumer.seek([partition: 40])
                    handler.expect(partition, at: 40)
                } catch {
                    log.violation("seek failed: \(error)")
                }
            }
        }
        try await withRunningConsumer(consumer, handler: handler) {
            try await waitUntil("the first 200 records arrived") { log.recordCount >= 200 }
            // From another thread these are refused, the watermarks are not.
            #expect(throws: KafkaError.self) { try consumer.seek([partition: 0]) }
            #expect(throws: KafkaError.self) { try consumer.pause([partition]) }
            let watermarks = try consumer.watermarks(topic: topic, partition: 1)
            #expect(watermarks.low == 0)
            #expect(watermarks.high == 100)
            seekRequested.withLock { $0 = true }
            try await waitUntil("records 40..<100 of partition 1 arrived again") { log.recordCount >= 260 }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(log.violations == [])
        #expect(Set(assignment.withLock { $0 }) == [TopicPartition(topic: topic, partition: 0), partition])
        let partitionOne = log.records.filter { $0.partition == partition }.map(\.offset)
        #expect(partitionOne == Array(0..<100) + Array(40..<100))
        do {
            _ = try consumer.watermarks(topic: topic, partition: 1)
            Issue.record("watermarks should fail once the consumer has finished")
        } catch let error as KafkaError {
            #expect(error.code == .consumerClosed)
        }
        cluster.close()
    }

    @Test func stopDuringConsumptionReturnsAndRevokes() async throws {
        let cluster = try MockKafkaCluster()
        let topic = uniqueName("stop")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaProducer(configuration: cluster.producerConfiguration())
        try produceIndexed(producer, topic: topic, range: 0..<20_000, partitions: 4)

        let consumer = try KafkaConsumer(
            configuration: cluster.consumerConfiguration(groupID: uniqueName("group")), maxBatchSize: 100)
        try consumer.subscribe(topics: [topic])
        let log = ConsumerLog()
        let handler = RecordingHandler(log: log)
        // A slow application, so that stop() lands in the middle of the stream: slower still once
        // the test has seen enough to stop, so that a loaded machine that is late to notice does
        // not let it consume everything first.
        handler.onConsume = { _, _ in Thread.sleep(forTimeInterval: log.recordCount >= 300 ? 0.2 : 0.02) }
        try await withRunningConsumer(consumer, handler: handler) {
            try await waitUntil("the first batches arrived") { log.recordCount >= 300 }
        }
        let events = log.events
        let assigned = events.compactMap { event -> Set<TopicPartition>? in
            if case .assigned(_, let partitions, _) = event { return partitions }
            return nil
        }
        #expect(assigned.count == 1)
        #expect(events.last == .revoked(consumer: "consumer", partitions: assigned.first ?? []))
        #expect(log.recordCount < 20_000)
        #expect(log.violations == [])

        await #expect(throws: KafkaError.self) {
            try await consumer.run(handler: RecordingHandler(log: ConsumerLog()))
        }
        cluster.close()
    }
}
