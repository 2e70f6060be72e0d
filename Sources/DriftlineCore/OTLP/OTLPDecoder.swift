import Foundation
import SwiftProtobuf

/// Decodes one Kafka record of OTLP traces, as the OpenTelemetry Collector's Kafka exporter
/// writes them (`otlp_proto`: a serialized `ExportTraceServiceRequest`; `otlp_json`: the same in
/// the OTLP/JSON mapping), and maps its GenAI spans to `LLMEvent`s (see `GenAIMapping` and the
/// README's "OTLP GenAI spans" section).
///
/// A record is one unit: when any span in it is invalid (ids of the wrong length, an unknown
/// enum value, end before start, token counts that contradict each other) the whole record is
/// rejected with the first problem, so the dead-letter row (one per Kafka record) holds
/// everything that was not counted and can be replayed as it is.
public struct OTLPDecoder: Sendable {
    public enum Encoding: String, Sendable, CaseIterable {
        case protobuf = "otlp_proto"
        case json = "otlp_json"
    }

    public var encoding: Encoding
    public var mapping: GenAIMapping
    public var maxRecordBytes: Int
    /// When false, prompt, response and retrieved context are not materialised.
    public var keepText: Bool
    private let compiled: CompiledGenAIMapping
    /// Shared by copies of this decoder, as `NativeJSONDecoder`'s: strings of repeating values.
    private let cache = DecoderCache()

    public init(
        encoding: Encoding, mapping: GenAIMapping = GenAIMapping(), maxRecordBytes: Int = 1 << 20, keepText: Bool = true
    ) {
        self.encoding = encoding
        self.mapping = mapping
        self.maxRecordBytes = maxRecordBytes
        self.keepText = keepText
        self.compiled = CompiledGenAIMapping(mapping)
    }

    /// Protobuf records are read in place by `OTLPWireReader`. A record it does not read itself
    /// (bytes that are not protobuf, or a rare merge of repeated fields) is decoded by
    /// SwiftProtobuf's generated code instead, which either rejects it, with its reason, or gives
    /// a message that is serialised again and read. OTLP/JSON records take that second path.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> OTLPBatch {
        _ = try recordStart(of: bytes, maxRecordBytes: maxRecordBytes)
        switch encoding {
        case .protobuf:
            // An ExportTraceServiceRequest starts with field 1 (resource_spans, LEN): 0x0A. A `{` is
            // an OTLP/JSON record on a topic configured for protobuf.
            if bytes[0] == UInt8(ascii: "{") {
                throw DecodeError(
                    .wrongEncoding,
                    reason: "record starts with '{': it looks like OTLP/JSON, but the topic is configured otlp_proto")
            }
            if let batch = try read(bytes, hexIDs: false) { return batch }
            return try readCanonical(parseProtobuf(bytes), hexIDs: false)
        case .json:
            return try readCanonical(parseJSON(bytes), hexIDs: true)
        }
    }

    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> OTLPBatch {
        try bytes.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decode(raw) } }.get()
    }

    /// How many spans a protobuf record holds, walked by `OTLPWireReader` without mapping: the
    /// reading on its own, for the benchmarks' split of decode and map.
    public func spanCount(_ bytes: [UInt8]) throws(DecodeError) -> Int {
        struct Counter: OTLPSpanSink {
            var spans = 0
            mutating func resource(_ attributes: [WireAttribute], in record: WireCursor) {}
            mutating func span(
                _ span: WireSpan, resource: [WireAttribute], at position: (resource: Int, scope: Int, span: Int),
                in record: WireCursor
            ) { spans += 1 }
        }
        var counter = Counter()
        var reader = OTLPWireReader()
        let read = bytes.withUnsafeBytes { raw in (try? reader.read(raw, into: &counter)) != nil }
        guard read else { throw DecodeError(.malformedProtobuf, reason: "not read by the wire reader") }
        return counter.spans
    }

    /// The same, parsed into SwiftProtobuf's generated messages: what the reader replaces.
    public func swiftProtobufSpanCount(_ bytes: [UInt8]) throws(DecodeError) -> Int {
        let request = try bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) in try parseProtobuf(raw) }
        }.get()
        return request.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
    }

    /// Reads and maps a serialized request; nil when the wire reader gives up on it.
    private func read(_ bytes: UnsafeRawBufferPointer, hexIDs: Bool) throws(DecodeError) -> OTLPBatch? {
        try cache.withExclusiveAccess { (cache) throws(DecodeError) in
            var mapper = GenAISpanMapper(
                mapping: compiled, keepText: keepText, hexIDs: hexIDs, cache: cache, record: bytes)
            var reader = OTLPWireReader()
            do {
                try reader.read(bytes, into: &mapper)
            } catch {
                return nil
            }
            return try mapper.finish()
        }
    }

    /// Maps a message SwiftProtobuf decoded, through its canonical serialisation.
    private func readCanonical(_ request: OTLPExportRequest, hexIDs: Bool) throws(DecodeError) -> OTLPBatch {
        let canonical: [UInt8]
        do {
            canonical = try request.serializedBytes()
        } catch {
            throw DecodeError(.malformedProtobuf, reason: "the decoded request cannot be serialised: \(error)")
        }
        let batch = try canonical.withUnsafeBytes { raw in
            Result { () throws(DecodeError) in try read(raw, hexIDs: hexIDs) }
        }.get()
        // SwiftProtobuf writes nothing the reader refuses; this is a guard, not a path.
        guard let batch else {
            throw DecodeError(.malformedProtobuf, reason: "the OTLP reader cannot read the request as re-serialised")
        }
        return batch
    }

    private func parseProtobuf(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> OTLPExportRequest {
        do {
            return try OTLPExportRequest(serializedBytes: Self.view(bytes))
        } catch {
            throw DecodeError(
                .malformedProtobuf, reason: "not a protobuf ExportTraceServiceRequest: \(Self.describe(error))")
        }
    }

    private func parseJSON(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> OTLPExportRequest {
        var index = 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index == bytes.count { throw DecodeError(.empty, reason: "record is empty (only whitespace)") }
        if bytes[index] != UInt8(ascii: "{") {
            throw DecodeError(
                .wrongEncoding,
                reason: bytes[index] == 0x0A
                    ? "record is not JSON (it starts like a protobuf ExportTraceServiceRequest), but the topic is configured otlp_json"
                    : "record is not an OTLP/JSON object (first byte 0x\(String(bytes[index], radix: 16)))")
        }
        do {
            // The OTLP/JSON spec asks receivers to ignore fields they do not know.
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = true
            return try OTLPExportRequest(jsonUTF8Bytes: Self.view(bytes), options: options)
        } catch {
            throw DecodeError(
                .malformedJSON, reason: "not an OTLP/JSON ExportTraceServiceRequest: \(Self.describe(error))")
        }
    }

    /// No copy: the view lives only for one parse, as the message parsed does not keep its
    /// bytes (SwiftProtobuf copies out what it stores).
    private static func view(_ bytes: UnsafeRawBufferPointer) -> Data {
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as BinaryDecodingError:
            switch error {
            case .truncated: return "truncated (the record ends inside a field)"
            case .malformedProtobuf: return "malformed protobuf (bad tag, wire type or length)"
            case .invalidUTF8: return "a string field holds invalid UTF-8"
            case .trailingGarbage: return "unexpected data after the message"
            case .messageDepthLimit: return "messages nested too deeply"
            default: return "\(error)"
            }
        case let error as JSONDecodingError:
            return "\(error)"
        default:
            return "\(error)"
        }
    }
}
