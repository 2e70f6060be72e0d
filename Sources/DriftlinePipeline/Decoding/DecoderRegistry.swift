public import DriftlineCore

/// From record format to decoder, and from topic to format. Decoders materialise text and
/// embeddings only when some configured analyser needs them, so ingest costs nothing extra
/// for those who don't.
public struct DecoderRegistry: Sendable {
    private var decoders: [RecordFormat: any FormatDecoder] = [:]
    private let formats: [String: RecordFormat]

    public init(configuration: PipelineConfiguration, mapping: GenAIMapping, needs: AnalyserNeeds) {
        let maxBytes = configuration.decoder.maxRecordBytes
        let text = needs.contains(.text)
        let embedding = needs.contains(.embedding)
        decoders[.nativeJSON] = SingleEventDecoder(
            decoder: NativeJSONDecoder(
                maxRecordBytes: maxBytes, keepText: text, keepEmbedding: embedding,
                embeddingDimension: configuration.drift.embeddings?.dimension))
        decoders[.litellm] = SingleEventDecoder(decoder: LiteLLMDecoder(maxRecordBytes: maxBytes, keepText: text))
        decoders[.openAIChat] = SingleEventDecoder(
            decoder: OpenAIChatDecoder(maxRecordBytes: maxBytes, keepText: text))
        decoders[.otlpProto] = OTLPFormatDecoder(
            decoder: OTLPDecoder(encoding: .protobuf, mapping: mapping, maxRecordBytes: maxBytes, keepText: text))
        decoders[.otlpJSON] = OTLPFormatDecoder(
            decoder: OTLPDecoder(encoding: .json, mapping: mapping, maxRecordBytes: maxBytes, keepText: text))
        var formats: [String: RecordFormat] = [:]
        for topic in configuration.kafka.topics { formats[topic.name] = topic.format }
        self.formats = formats
    }

    /// Registers (or replaces) the decoder of a format.
    public mutating func register(_ decoder: any FormatDecoder, for format: RecordFormat) {
        decoders[format] = decoder
    }

    /// The decoder for records of `topic` (native JSON when the topic is not configured).
    public func decoder(forTopic topic: String) -> any FormatDecoder {
        let format = formats[topic] ?? .nativeJSON
        guard let decoder = decoders[format] else { preconditionFailure("every RecordFormat has a decoder") }
        return decoder
    }
}
