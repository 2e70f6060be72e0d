import CRdKafka
import Logging

/// State that librdkafka's C callbacks reach through the configuration's opaque pointer.
///
/// The owning Swift object keeps the context alive for longer than the `rd_kafka_t`, so the
/// callbacks use it unretained.
class RDKafkaClientContext {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    var opaque: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }
}

/// Creates `rd_kafka_t` handles from a ``KafkaConfiguration``.
enum RDKafkaClient {
    /// - Parameters:
    ///   - properties: applied in order, so later entries win.
    ///   - configure: registers callbacks on the `rd_kafka_conf_t` before the handle is created.
    static func makeHandle(
        type: rd_kafka_type_t,
        properties: [(String, String)],
        context: RDKafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new returned no configuration")
        }
        // rd_kafka_new takes ownership of the configuration only when it succeeds.
        var ownsConf = true
        defer {
            if ownsConf {
                rd_kafka_conf_destroy(conf)
            }
        }
        for (name, value) in properties {
            var failure: String?
            withErrorBuffer { buffer, size in
                if rd_kafka_conf_set(conf, name, value, buffer, size) != RD_KAFKA_CONF_OK {
                    failure = String(cString: buffer)
                }
            }
            if let failure {
                throw KafkaError(
                    code: .configuration,
                    message: "librdkafka rejected property '\(name)': \(failure)",
                    property: name
                )
            }
        }
        rd_kafka_conf_set_opaque(conf, context.opaque)
        rd_kafka_conf_set_log_cb(conf) { handle, level, facility, text in
            guard let handle, let opaque = rd_kafka_opaque(handle) else {
                return
            }
            let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.logger.log(
                level: Logger.Level(syslogLevel: level),
                "\(text.map { String(cString: $0) } ?? "")",
                metadata: [
                    "kafka.client": "\(String(cString: rd_kafka_name(handle)))",
                    "kafka.facility": "\(facility.map { String(cString: $0) } ?? "")",
                ]
            )
        }
        configure(conf)
        var creationError: String?
        let handle = withErrorBuffer { buffer, size in
            let handle = rd_kafka_new(type, conf, buffer, size)
            if handle == nil {
                creationError = String(cString: buffer)
            }
            return handle
        }
        guard let handle else {
            throw KafkaError(
                code: .clientCreation,
                message: "rd_kafka_new failed: \(creationError ?? "unknown error")"
            )
        }
        ownsConf = false
        return handle
    }

    static func withErrorBuffer<Result>(
        _ body: (UnsafeMutablePointer<CChar>, Int) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            buffer.initialize(repeating: 0)
            return body(buffer.baseAddress!, buffer.count)
        }
    }

    /// The last fatal error raised on `handle`, if any.
    static func raisedFatalError(of handle: OpaquePointer) -> KafkaError? {
        var message = ""
        let code = withErrorBuffer { buffer, size in
            let code = rd_kafka_fatal_error(handle, buffer, size)
            message = String(cString: buffer)
            return code
        }
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else {
            return nil
        }
        return KafkaError(code: .fatal, message: "librdkafka fatal error: \(message)", rdKafkaError: code)
    }
}

extension Logger.Level {
    /// librdkafka logs with syslog(3) severities.
    init(syslogLevel: Int32) {
        switch syslogLevel {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}
