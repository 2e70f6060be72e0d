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

    public init(
        encoding: Encoding, mapping: GenAIMapping = GenAIMapping(), maxRecordBytes: Int = 1 << 20, keepText: Bool = true
    ) {
        self.encoding = encoding
        self.mapping = mapping
        self.maxRecordBytes = maxRecordBytes
        self.keepText = keepText
        self.compiled = CompiledGenAIMapping(mapping)
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> OTLPBatch {
        let base = try recordStart(of: bytes, maxRecordBytes: maxRecordBytes)
        // No copy: the view lives only for this call, as the message it was parsed into does not
        // keep its bytes (SwiftProtobuf copies out what it stores).
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
        let request = try parse(data, firstByte: bytes[0])
        var mapper = GenAISpanMapper(mapping: compiled, keepText: keepText)
        return try mapper.map(request, hexIDs: encoding == .json)
    }

    /// Parses a record without mapping its spans and returns how many it holds: the protobuf
    /// (or JSON) parsing on its own, for the benchmarks' split of decode and map.
    public func spanCount(_ bytes: [UInt8]) throws(DecodeError) -> Int {
        let data = Data(bytes)
        let request = try parse(data, firstByte: bytes.first ?? 0)
        return request.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
    }

    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> OTLPBatch {
        try bytes.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decode(raw) } }.get()
    }

    private func parse(_ data: Data, firstByte: UInt8) throws(DecodeError) -> OTLPExportRequest {
        switch encoding {
        case .protobuf:
            // An ExportTraceServiceRequest starts with field 1 (resource_spans, LEN): 0x0A. A `{` is
            // an OTLP/JSON record on a topic configured for protobuf.
            if firstByte == UInt8(ascii: "{") {
                throw DecodeError(
                    .wrongEncoding,
                    reason: "record starts with '{': it looks like OTLP/JSON, but the topic is configured otlp_proto")
            }
            do {
                return try OTLPExportRequest(serializedBytes: data)
            } catch {
                throw DecodeError(
                    .malformedProtobuf, reason: "not a protobuf ExportTraceServiceRequest: \(Self.describe(error))")
            }
        case .json:
            var index = 0
            while index < data.count, [0x20, 0x09, 0x0A, 0x0D].contains(data[index]) { index += 1 }
            if index == data.count { throw DecodeError(.empty, reason: "record is empty (only whitespace)") }
            if data[index] != UInt8(ascii: "{") {
                throw DecodeError(
                    .wrongEncoding,
                    reason: data[index] == 0x0A
                        ? "record is not JSON (it starts like a protobuf ExportTraceServiceRequest), but the topic is configured otlp_json"
                        : "record is not an OTLP/JSON object (first byte 0x\(String(data[index], radix: 16)))")
            }
            do {
                // The OTLP/JSON spec asks receivers to ignore fields they do not know.
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try OTLPExportRequest(jsonUTF8Bytes: data, options: options)
            } catch {
                throw DecodeError(
                    .malformedJSON, reason: "not an OTLP/JSON ExportTraceServiceRequest: \(Self.describe(error))")
            }
        }
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
