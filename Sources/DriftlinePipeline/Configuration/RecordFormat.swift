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

    /// The Collector's Kafka exporter writes spans to `otlp_spans` by default, as protobuf.
    public static let defaultOTLPTopic = "otlp_spans"

    /// The format of a topic listed without one: `otlp_proto` for `otlp_spans`, else native JSON.
    static func defaultFormat(ofTopic name: String) -> RecordFormat {
        name == defaultOTLPTopic ? .otlpProto : .nativeJSON
    }
}
