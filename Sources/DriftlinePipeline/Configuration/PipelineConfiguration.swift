public import DriftlineStore
public import Foundation
import Yams

/// `driftline run`'s configuration, decoded from YAML (see `pipelines/default.yaml`), then
/// overridden from the environment and validated before anything starts.
public struct PipelineConfiguration: Codable, Sendable, Equatable {
    public var kafka = KafkaSettings()
    public var postgres = PostgresSettings()
    public var aggregation = AggregationSettings()
    public var flush = FlushSettings()
    public var decoder = DecoderSettings()
    public var deadLetters = DeadLetterSettings()
    public var costs = CostSettings()
    /// How OTLP spans map to events (custom attribute names); see `OTLPSettings`.
    public var otlp = OTLPSettings()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kafka, postgres, aggregation, flush, decoder, costs, otlp
        case deadLetters = "dead_letters"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        kafka = try container.decodeIfPresent(KafkaSettings.self, forKey: .kafka) ?? kafka
        postgres = try container.decodeIfPresent(PostgresSettings.self, forKey: .postgres) ?? postgres
        aggregation = try container.decodeIfPresent(AggregationSettings.self, forKey: .aggregation) ?? aggregation
        flush = try container.decodeIfPresent(FlushSettings.self, forKey: .flush) ?? flush
        self.decoder = try container.decodeIfPresent(DecoderSettings.self, forKey: .decoder) ?? self.decoder
        deadLetters = try container.decodeIfPresent(DeadLetterSettings.self, forKey: .deadLetters) ?? deadLetters
        costs = try container.decodeIfPresent(CostSettings.self, forKey: .costs) ?? costs
        otlp = try container.decodeIfPresent(OTLPSettings.self, forKey: .otlp) ?? otlp
    }

    public struct KafkaSettings: Codable, Sendable, Equatable {
        /// `bootstrap.servers`.
        public var brokers = "127.0.0.1:9092"
        public var groupID = "driftline"
        public var clientID = "driftline"
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
            case batchSize = "batch_size"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            brokers = try container.decodeIfPresent(String.self, forKey: .brokers) ?? brokers
            groupID = try container.decodeIfPresent(String.self, forKey: .groupID) ?? groupID
            clientID = try container.decodeIfPresent(String.self, forKey: .clientID) ?? clientID
            topics = try container.decodeIfPresent([TopicSettings].self, forKey: .topics) ?? topics
            properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? properties
            batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        }
    }

    public struct TopicSettings: Codable, Sendable, Equatable {
        public var name: String
        public var format: RecordFormat

        public init(name: String, format: RecordFormat) {
            self.name = name
            self.format = format
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, format }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            format = try container.decodeIfPresent(RecordFormat.self, forKey: .format) ?? .defaultFormat(ofTopic: name)
        }
    }

    public struct PostgresSettings: Codable, Sendable, Equatable {
        /// libpq-style URL; `DATABASE_URL` overrides it.
        public var url = DatabaseURL.loopbackDefault
        /// A file holding the password (Docker/Kubernetes secrets); `DATABASE_PASSWORD_FILE` overrides it.
        public var passwordFile: String?
        public var maxConnections = 4

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url
            case passwordFile = "password_file"
            case maxConnections = "max_connections"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            url = try container.decodeIfPresent(String.self, forKey: .url) ?? url
            passwordFile = try container.decodeIfPresent(String.self, forKey: .passwordFile)
            maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        }
    }

    public struct AggregationSettings: Codable, Sendable, Equatable {
        public var windowSeconds = 60
        public var dimensions: [Dimension] = [.model, .provider, .app, .tenant, .environment]
        /// Free-form label keys to split by, in addition to the dimensions.
        public var labels: [String] = []

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dimensions, labels
            case windowSeconds = "window_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            windowSeconds = try container.decodeIfPresent(Int.self, forKey: .windowSeconds) ?? windowSeconds
            dimensions = try container.decodeIfPresent([Dimension].self, forKey: .dimensions) ?? dimensions
            labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? labels
        }
    }

    public struct FlushSettings: Codable, Sendable, Equatable {
        public var intervalSeconds = 2.0
        /// Flush early when this many rows (windows and cost rows) are pending.
        public var maxPendingWindows = 50_000
        /// The deadline of every store call made by ingest (a flush, reading offsets). A flush
        /// past it is cancelled, counted as failed and retried, so a server that stops answering
        /// never freezes ingest; shutdown takes at most about this long.
        public var timeoutSeconds = 30.0

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case intervalSeconds = "interval_seconds"
            case maxPendingWindows = "max_pending_windows"
            case timeoutSeconds = "timeout_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            intervalSeconds = try container.decodeIfPresent(Double.self, forKey: .intervalSeconds) ?? intervalSeconds
            maxPendingWindows =
                try container.decodeIfPresent(Int.self, forKey: .maxPendingWindows) ?? maxPendingWindows
            timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? timeoutSeconds
        }
    }

    public struct DecoderSettings: Codable, Sendable, Equatable {
        public var maxRecordBytes = 1 << 20

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case maxRecordBytes = "max_record_bytes" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes) ?? maxRecordBytes
        }
    }

    public struct DeadLetterSettings: Codable, Sendable, Equatable {
        /// Bytes of a bad record kept in the dead-letter table; its full size is kept too.
        public var maxPayloadBytes = 64 * 1024

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case maxPayloadBytes = "max_payload_bytes" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            maxPayloadBytes = try container.decodeIfPresent(Int.self, forKey: .maxPayloadBytes) ?? maxPayloadBytes
        }
    }
}

/// How the records of a topic are encoded.
public enum RecordFormat: String, Codable, Sendable, CaseIterable {
    /// Driftline's request-log JSON (`schemas/llm-request.schema.json`).
    case nativeJSON = "native_json"
    /// A serialized OTLP `ExportTraceServiceRequest`, as the OpenTelemetry Collector's Kafka exporter writes it.
    case otlpProto = "otlp_proto"
    /// The same in the OTLP/JSON mapping.
    case otlpJSON = "otlp_json"
    /// LiteLLM's `StandardLoggingPayload`, one JSON object per call (README, "Gateway logs").
    case litellm
    /// An OpenAI `chat.completion` response wrapped with its timing (README, "Gateway logs").
    case openAIChat = "openai_chat"
}

/// A dimension the aggregates can be split by.
public enum Dimension: String, Codable, Sendable, CaseIterable {
    case model, provider, app, route, tenant, user, team, environment
    case modelVersion = "model_version"
}

extension PipelineConfiguration {
    /// Loads a YAML file; a bad file fails with the file, the key and what was expected.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> PipelineConfiguration
    {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: file, key: "", "cannot read the file: \(error.localizedDescription)")
        }
        var configuration = try parse(yaml: text, file: file)
        try configuration.applyEnvironment(environment)
        try configuration.validate(file: file)
        return configuration
    }

    public static func parse(yaml: String, file: String? = nil) throws -> PipelineConfiguration {
        do {
            if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return PipelineConfiguration() }
            return try YAMLDecoder().decode(PipelineConfiguration.self, from: yaml)
        } catch let error as DecodingError {
            throw ConfigurationError(decodingError: error, file: file)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(file: file, key: "", "not valid YAML: \(error)")
        }
    }

    /// `DATABASE_URL`, `DATABASE_PASSWORD_FILE`, `KAFKA_BROKERS` and `KAFKA_GROUP_ID` override the file.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        if let url = environment["DATABASE_URL"], !url.isEmpty { postgres.url = url }
        if let file = environment["DATABASE_PASSWORD_FILE"], !file.isEmpty { postgres.passwordFile = file }
        if let brokers = environment["KAFKA_BROKERS"], !brokers.isEmpty { kafka.brokers = brokers }
        if let group = environment["KAFKA_GROUP_ID"], !group.isEmpty { kafka.groupID = group }
    }

    public func validate(file: String? = nil) throws {
        func fail(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(file: file, key: key, message)
        }
        if kafka.brokers.isEmpty { throw fail("kafka.brokers", "expected host:port[,host:port…], got an empty string") }
        if kafka.groupID.isEmpty { throw fail("kafka.group_id", "expected a consumer group name") }
        if kafka.topics.isEmpty { throw fail("kafka.topics", "expected at least one topic") }
        if Set(kafka.topics.map(\.name)).count != kafka.topics.count {
            throw fail("kafka.topics", "a topic is listed twice")
        }
        if !(1...100_000).contains(kafka.batchSize) {
            throw fail("kafka.batch_size", "expected 1…100000, got \(kafka.batchSize)")
        }
        for forbidden in ["enable.auto.commit", "group.id", "bootstrap.servers"]
        where kafka.properties[forbidden] != nil {
            throw fail("kafka.properties.\(forbidden)", "is set by Driftline itself; use the typed setting instead")
        }
        do { _ = try DatabaseURL(parsing: postgres.url) } catch { throw fail("postgres.url", "\(error)") }
        if !(1...200).contains(postgres.maxConnections) {
            throw fail("postgres.max_connections", "expected 1…200, got \(postgres.maxConnections)")
        }
        if aggregation.windowSeconds < 1 || 86_400 % aggregation.windowSeconds != 0 {
            throw fail(
                "aggregation.window_seconds",
                "expected a whole number of seconds that divides a day (60, 300, 3600 …), got \(aggregation.windowSeconds)"
            )
        }
        if Set(aggregation.dimensions).count != aggregation.dimensions.count {
            throw fail("aggregation.dimensions", "a dimension is listed twice")
        }
        if !(flush.intervalSeconds > 0 && flush.intervalSeconds <= 3600) {
            throw fail(
                "flush.interval_seconds", "expected a number of seconds in (0, 3600], got \(flush.intervalSeconds)")
        }
        if !(flush.timeoutSeconds >= 1 && flush.timeoutSeconds <= 600) {
            throw fail(
                "flush.timeout_seconds", "expected a number of seconds in [1, 600], got \(flush.timeoutSeconds)")
        }
        if flush.maxPendingWindows < 1 {
            throw fail("flush.max_pending_windows", "expected a positive number, got \(flush.maxPendingWindows)")
        }
        if decoder.maxRecordBytes < 64 {
            throw fail("decoder.max_record_bytes", "expected at least 64, got \(decoder.maxRecordBytes)")
        }
        _ = try otlp.mapping(file: file)
        if deadLetters.maxPayloadBytes < 0 {
            throw fail("dead_letters.max_payload_bytes", "expected 0 or more, got \(deadLetters.maxPayloadBytes)")
        }
        try costs.validate(file: file)
    }

    /// The database URL with the password from `password_file` when one is set.
    public func databaseURL() throws -> DatabaseURL {
        var url = try DatabaseURL(parsing: postgres.url)
        if let file = postgres.passwordFile {
            do {
                url.password = try String(contentsOfFile: file, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ConfigurationError(
                    file: nil, key: "postgres.password_file", "cannot read \(file): \(error.localizedDescription)")
            }
        }
        return url
    }

    /// librdkafka properties with `env:` and `file:` references resolved.
    public func resolvedKafkaProperties(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> [String: String]
    {
        var resolved: [String: String] = [:]
        for (key, value) in kafka.properties {
            if value.hasPrefix("env:") {
                let name = String(value.dropFirst(4))
                guard let found = environment[name] else {
                    throw ConfigurationError(
                        file: nil, key: "kafka.properties.\(key)", "environment variable \(name) is not set")
                }
                resolved[key] = found
            } else if value.hasPrefix("file:") {
                let path = String(value.dropFirst(5))
                do {
                    resolved[key] = try String(contentsOfFile: path, encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                } catch {
                    throw ConfigurationError(
                        file: nil, key: "kafka.properties.\(key)", "cannot read \(path): \(error.localizedDescription)")
                }
            } else {
                resolved[key] = value
            }
        }
        return resolved
    }
}

extension ConfigurationError {
    init(decodingError: DecodingError, file: String?) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            self.init(
                file: file, key: path(context.codingPath),
                "expected \(Self.describe(type)); \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            self.init(file: file, key: path(context.codingPath), "expected \(Self.describe(type)), found nothing")
        case .keyNotFound(let key, let context):
            self.init(file: file, key: path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            self.init(file: file, key: path(context.codingPath), context.debugDescription)
        @unknown default:
            self.init(file: file, key: "", "\(decodingError)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}

/// A key that is not a known setting is an error, not silently ignored: a typo such as
/// `window_second` must not fall back to the default without a word.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key>
    where Key.AllCases: Collection {
        let all = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Key.allCases.map(\.stringValue))
        for key in all.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription:
                        "unknown setting; expected one of: \(known.sorted().joined(separator: ", "))"))
        }
        return try container(keyedBy: type)
    }
}
