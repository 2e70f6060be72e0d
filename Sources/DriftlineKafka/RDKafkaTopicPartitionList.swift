import CRdKafka

/// An owned `rd_kafka_topic_partition_list_t`.
struct RDKafkaTopicPartitionList: ~Copyable {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    /// Takes ownership of an existing list.
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    init(_ partitions: some Collection<TopicPartition>) {
        self.init(capacity: partitions.count)
        for partition in partitions {
            add(partition)
        }
    }

    init(offsets: [TopicPartition: Int64]) {
        self.init(capacity: offsets.count)
        for (partition, offset) in offsets {
            add(partition, offset: offset)
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    func add(_ partition: TopicPartition, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, partition.topic, partition.partition)
        if let offset, let element {
            element.pointee.offset = offset
        }
    }

    var topicPartitions: [TopicPartition] {
        Self.topicPartitions(in: pointer)
    }

    /// The first per-partition error, if any; librdkafka reports pause/resume/seek results there.
    var firstPartitionError: (TopicPartition, rd_kafka_resp_err_t)? {
        let list = pointer.pointee
        for index in 0..<Int(list.cnt) {
            let element = list.elems[index]
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return (
                    TopicPartition(topic: String(cString: element.topic), partition: element.partition), element.err
                )
            }
        }
        return nil
    }

    static func topicPartitions(in list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else {
            return []
        }
        return (0..<count).map { index in
            TopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
        }
    }
}
