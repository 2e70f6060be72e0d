public import DriftlineCore

/// Turns one record's bytes into what the analysers see: model-call events and, for OTLP,
/// the spans that are not model calls. A record is all or nothing: on a `DecodeError` nothing
/// of it has been passed on.
public protocol FormatDecoder: Sendable {
    func decode(_ bytes: UnsafeRawBufferPointer, _ output: (DecodedItem) -> Void) throws(DecodeError)
}

public enum DecodedItem: Sendable {
    case event(LLMEvent)
    case otherSpan(OTLPSpanSummary)
}

/// A decoder of one event per record (native request logs, gateway logs).
struct SingleEventDecoder<Decoder: RecordDecoder>: FormatDecoder {
    let decoder: Decoder

    func decode(_ bytes: UnsafeRawBufferPointer, _ output: (DecodedItem) -> Void) throws(DecodeError) {
        output(.event(try decoder.decode(bytes)))
    }
}

/// OTLP export requests: every model-call span becomes an event, every other span is counted.
struct OTLPFormatDecoder: FormatDecoder {
    let decoder: OTLPDecoder

    func decode(_ bytes: UnsafeRawBufferPointer, _ output: (DecodedItem) -> Void) throws(DecodeError) {
        let batch = try decoder.decode(bytes)
        for event in batch.events { output(.event(event)) }
        for span in batch.otherSpans { output(.otherSpan(span)) }
    }
}
