import CRdKafka

extension KafkaError {
    init(
        code: Code,
        message: String,
        rdKafkaError: rd_kafka_resp_err_t,
        topicPartition: TopicPartition? = nil,
        offset: Int64? = nil
    ) {
        self.init(
            code: code,
            message: "\(message): \(String(cString: rd_kafka_err2str(rdKafkaError)))",
            librdkafkaCode: rdKafkaError.rawValue,
            librdkafkaName: String(cString: rd_kafka_err2name(rdKafkaError)),
            topicPartition: topicPartition,
            offset: offset
        )
    }

    /// Takes ownership of `error` (an `rd_kafka_error_t *`) and destroys it.
    init(code: Code, message: String, consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        let rdKafkaError = rd_kafka_error_code(error)
        self.init(
            code: code,
            message: "\(message): \(String(cString: rd_kafka_error_string(error)))",
            librdkafkaCode: rdKafkaError.rawValue,
            librdkafkaName: String(cString: rd_kafka_err2name(rdKafkaError))
        )
    }
}

extension Duration {
    /// Whole milliseconds for librdkafka's `int timeout_ms` arguments, clamped to its range.
    var rdKafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        if milliseconds.overflow || milliseconds.partialValue > Int64(Int32.max) {
            return Int32.max
        }
        let total = milliseconds.partialValue + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}

/// librdkafka's macros, which Swift does not import because of their comments and casts.
enum RDKafkaConstants {
    static let partitionUnassigned: Int32 = -1
    static let offsetBeginning: Int64 = -2
    static let messageFlagCopy: Int32 = 0x2
    static let purgeQueue: Int32 = 0x1
    static let purgeInFlight: Int32 = 0x2
}
