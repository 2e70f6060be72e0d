import CRdKafka
import Foundation
import Logging

// Partition assignment and revocation, driven by librdkafka's rebalance callback. It runs inside
// rd_kafka_consumer_poll or rd_kafka_consumer_close, so always on the poll thread.
extension KafkaConsumer {
    /// Called by librdkafka from `rd_kafka_consumer_poll` or `rd_kafka_consumer_close`, on the poll thread.
    func rebalance(
        _ event: rd_kafka_resp_err_t,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        // Records fetched before the rebalance go to the handler first, so that what it persists on
        // revocation includes them.
        deliverPending()
        let cooperative = isCooperative
        switch event {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if let partitions {
                assign(partitions, cooperative: cooperative)
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            revoke(partitions.map { RDKafkaTopicPartitionList.topicPartitions(in: $0) } ?? [])
            Self.unassign(handle, partitions, cooperative: cooperative, logger: logger)
        default:
            logger.error(
                "Kafka rebalance failed; dropping the assignment",
                metadata: ["error": "\(String(cString: rd_kafka_err2str(event)))"])
            revoke(Array(ownedPartitions))
            // librdkafka's contract for unexpected rebalance events: clear the assignment.
            rd_kafka_assign(handle, nil)
            ownedPartitions.removeAll()
        }
    }

    private var isCooperative: Bool {
        guard let protocolName = rd_kafka_rebalance_protocol(handle) else {
            return false
        }
        return strcmp(protocolName, "COOPERATIVE") == 0
    }

    private func assign(_ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, cooperative: Bool) {
        // A copy, as librdkafka advises: its own list may carry positions from an earlier assignment.
        guard let copy = rd_kafka_topic_partition_list_copy(partitions) else {
            return
        }
        let list = RDKafkaTopicPartitionList(owning: copy)
        let assigned = list.topicPartitions
        // An eager rebalance can hand out an empty assignment; it still has to be acknowledged.
        let offsets: [TopicPartition: Int64]
        if assigned.isEmpty {
            offsets = [:]
        } else if let answer = startOffsets(for: assigned) {
            offsets = answer
        } else {
            logger.notice("Stopped before the partition assignment was accepted")
            return
        }
        if let elements = list.pointer.pointee.elems {
            for index in 0..<assigned.count {
                elements[index].offset = offsets[assigned[index]] ?? RDKafkaConstants.offsetBeginning
            }
        }
        if cooperative {
            if let error = rd_kafka_incremental_assign(handle, list.pointer) {
                reportAssignmentError(
                    KafkaError(code: .assignment, message: "incremental assign failed", consuming: error))
                return
            }
        } else {
            let result = rd_kafka_assign(handle, list.pointer)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                reportAssignmentError(KafkaError(code: .assignment, message: "assign failed", rdKafkaError: result))
                return
            }
            ownedPartitions.removeAll()
        }
        ownedPartitions.formUnion(assigned)
        logger.info(
            "Kafka partitions assigned",
            metadata: [
                "partitions": "\(assigned.map { "\($0)@\(offsets[$0] ?? RDKafkaConstants.offsetBeginning)" })"
            ])
    }

    /// Asks the handler for start offsets until it answers; `nil` when stopped first.
    private func startOffsets(for partitions: [TopicPartition]) -> [TopicPartition: Int64]? {
        guard let handler else {
            return [:]
        }
        var delay = 0.1
        var attempt = 1
        while true {
            do {
                return try handler.partitionsAssigned(partitions, consumer: self)
            } catch {
                logger.error(
                    "Reading start offsets for assigned partitions failed; retrying",
                    metadata: [
                        "error": "\(error)", "attempt": "\(attempt)", "retry_in_s": "\(delay)",
                        "partitions": "\(partitions)",
                    ])
            }
            if stopSignal.wait(seconds: delay) {
                return nil
            }
            delay = min(delay * 2, 5)
            attempt += 1
        }
    }

    private func revoke(_ partitions: [TopicPartition]) {
        let revoked = partitions.filter { ownedPartitions.contains($0) }
        ownedPartitions.subtract(partitions)
        guard !revoked.isEmpty else {
            return
        }
        logger.info("Kafka partitions revoked", metadata: ["partitions": "\(revoked)"])
        handler?.partitionsRevoked(revoked, consumer: self)
    }

    private func reportAssignmentError(_ error: KafkaError) {
        logger.error("Kafka partition assignment failed", metadata: ["error": "\(error)"])
        handler?.consumerError(error, consumer: self)
    }

    static func unassign(
        _ handle: OpaquePointer,
        _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        cooperative: Bool,
        logger: Logger
    ) {
        if cooperative {
            if let partitions, let error = rd_kafka_incremental_unassign(handle, partitions) {
                let error = KafkaError(code: .assignment, message: "incremental unassign failed", consuming: error)
                logger.error("Kafka partition revocation failed", metadata: ["error": "\(error)"])
            }
        } else {
            let result = rd_kafka_assign(handle, nil)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = KafkaError(code: .assignment, message: "unassign failed", rdKafkaError: result)
                logger.error("Kafka partition revocation failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Reaches the consumer from librdkafka's callbacks.
final class ConsumerContext: RDKafkaClientContext {
    /// Weak because the consumer owns the context; set once, before the poll thread starts.
    weak var consumer: KafkaConsumer?
}

func consumerRebalanceCallback(
    handle: OpaquePointer?,
    event: rd_kafka_resp_err_t,
    partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let handle, let opaque else {
        return
    }
    let context = Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue()
    if let consumer = context.consumer {
        consumer.rebalance(event, partitions)
        return
    }
    // Only reached when a consumer that never ran leaves the group from deinit.
    let cooperative = rd_kafka_rebalance_protocol(handle).map { strcmp($0, "COOPERATIVE") == 0 } ?? false
    if event == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        return
    }
    KafkaConsumer.unassign(handle, partitions, cooperative: cooperative, logger: context.logger)
}
