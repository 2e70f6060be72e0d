import CRdKafka

extension KafkaConfiguration {
    /// Applies every property to a throw-away `rd_kafka_conf_t`, without creating a client or
    /// opening a connection, so that an unknown property or a bad value is reported before
    /// anything starts. What only `rd_kafka_new` checks (combinations of properties) is left
    /// to client creation.
    public func validate() throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .configuration, message: "rd_kafka_conf_new returned no configuration")
        }
        defer { rd_kafka_conf_destroy(conf) }
        for (name, value) in orderedProperties(defaults: []) {
            var failure: String?
            RDKafkaClient.withErrorBuffer { buffer, size in
                if rd_kafka_conf_set(conf, name, value, buffer, size) != RD_KAFKA_CONF_OK {
                    failure = String(cString: buffer)
                }
            }
            if let failure {
                throw KafkaError(code: .configuration, message: failure, property: name)
            }
        }
    }
}
