import Foundation
import SwiftProtobuf

/// Writes events as one OTLP `ExportTraceServiceRequest` of GenAI client spans, one resource per
/// app and environment, in the attribute names of the current GenAI conventions — what an
/// instrumented application's Collector would put on Kafka. `driftline generate` and the
/// benchmarks use it; `OTLPDecoder` reads it back into equal events (text aside).
public struct OTLPEncoder: Sendable {
    public var encoding: OTLPDecoder.Encoding

    public init(encoding: OTLPDecoder.Encoding = .protobuf) {
        self.encoding = encoding
    }

    /// Events without trace or span ids get ids derived from `idSeed` and their position.
    public func encode(_ events: [LLMEvent], idSeed: UInt64 = 0) -> [UInt8] {
        var request = OTLPExportRequest()
        var resourceIndex: [String: Int] = [:]
        for (position, event) in events.enumerated() {
            let resourceKey = event.dimensions.app + "\u{0}" + event.dimensions.environment
            let index: Int
            if let known = resourceIndex[resourceKey] {
                index = known
            } else {
                var resourceSpans = OTLPResourceSpans()
                resourceSpans.resource.attributes = [
                    Self.attribute("service.name", event.dimensions.app),
                    Self.attribute("deployment.environment.name", event.dimensions.environment),
                ]
                var scope = OTLPScopeSpans()
                scope.scope.name = "driftline.generator"
                resourceSpans.scopeSpans = [scope]
                request.resourceSpans.append(resourceSpans)
                index = request.resourceSpans.count - 1
                resourceIndex[resourceKey] = index
            }
            request.resourceSpans[index].scopeSpans[0].spans.append(span(event, id: idSeed &+ UInt64(position)))
        }
        switch encoding {
        case .protobuf:
            return (try? request.serializedBytes()) ?? []
        case .json:
            var options = JSONEncodingOptions()
            options.alwaysPrintEnumsAsInts = true
            return (try? request.jsonUTF8Bytes(options: options)) ?? []
        }
    }

    private func span(_ event: LLMEvent, id: UInt64) -> OTLPSpan {
        var span = OTLPSpan()
        let mixed = Self.mix(id)
        let traceHex = event.traceID ?? (Self.hex64(mixed) + Self.hex64(Self.mix(mixed)))
        let spanHex = event.spanID ?? Self.hex64(Self.mix(mixed ^ 0x5bd1_e995))
        span.traceID = idBytes(traceHex)
        span.spanID = idBytes(spanHex)
        let operation = event.dimensions.labels["operation"] ?? "chat"
        span.name = "\(operation) \(event.model)"
        span.kind = .client
        span.startTimeUnixNano = UInt64(max(0, event.start.microsecondsSinceEpoch)) * 1000
        span.endTimeUnixNano = UInt64(max(0, event.end.microsecondsSinceEpoch)) * 1000
        var attributes = [
            Self.attribute("gen_ai.operation.name", operation), Self.attribute("gen_ai.request.model", event.model),
            Self.attribute("gen_ai.usage.input_tokens", event.tokens.input),
            Self.attribute("gen_ai.usage.output_tokens", event.tokens.output),
        ]
        if !event.provider.isEmpty { attributes.append(Self.attribute("gen_ai.provider.name", event.provider)) }
        if !event.dimensions.modelVersion.isEmpty {
            attributes.append(Self.attribute("gen_ai.response.model", event.dimensions.modelVersion))
        }
        if event.tokens.cachedInput > 0 {
            attributes.append(Self.attribute("gen_ai.usage.cache_read.input_tokens", event.tokens.cachedInput))
        }
        if event.tokens.cacheWrite > 0 {
            attributes.append(Self.attribute("gen_ai.usage.cache_creation.input_tokens", event.tokens.cacheWrite))
        }
        if event.tokens.reasoning > 0 {
            attributes.append(Self.attribute("gen_ai.usage.reasoning.output_tokens", event.tokens.reasoning))
        }
        if let requestID = event.requestID { attributes.append(Self.attribute("gen_ai.response.id", requestID)) }
        if let reason = event.finishReason {
            var value = OTLPAnyValue()
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            var first = OTLPAnyValue()
            first.stringValue = reason
            array.values = [first]
            value.arrayValue = array
            var pair = OTLPKeyValue()
            pair.key = "gen_ai.response.finish_reasons"
            pair.value = value
            attributes.append(pair)
        }
        if let first = event.firstToken {
            // Seconds, as the conventions write durations; microseconds survive the round trip.
            var value = OTLPAnyValue()
            value.doubleValue = Double(first.microseconds(since: event.start)) / 1_000_000
            var pair = OTLPKeyValue()
            pair.key = "gen_ai.response.time_to_first_chunk"
            pair.value = value
            attributes.append(pair)
        }
        if let errorType = event.errorType { attributes.append(Self.attribute("error.type", errorType)) }
        if let status = event.httpStatus {
            attributes.append(Self.attribute("http.response.status_code", Int64(status)))
        }
        let dimensions = event.dimensions
        for (key, value) in [
            ("tenant.id", dimensions.tenant), ("user.id", dimensions.user), ("team.id", dimensions.team),
        ]
        where !value.isEmpty {
            attributes.append(Self.attribute(key, value))
        }
        if let conversation = dimensions.labels["conversation_id"] {
            attributes.append(Self.attribute("gen_ai.conversation.id", conversation))
        }
        span.attributes = attributes
        if event.status == .error { span.status.code = .error }
        return span
    }

    /// Protobuf carries the id's bytes. For OTLP/JSON, SwiftProtobuf writes `bytes` as base64, so
    /// the bytes stored are the base64 decoding of the hex text, which it writes back as that
    /// text (see `OTLPSpanID.hex(jsonBase64Decoded:hexDigits:)`).
    private func idBytes(_ hex: String) -> Data {
        switch encoding {
        case .protobuf: return OTLPSpanID.bytes(hex: hex)
        case .json: return Data(base64Encoded: hex) ?? Data()
        }
    }

    static func attribute(_ key: String, _ text: String) -> OTLPKeyValue {
        var pair = OTLPKeyValue()
        pair.key = key
        pair.value.stringValue = text
        return pair
    }

    static func attribute(_ key: String, _ number: Int64) -> OTLPKeyValue {
        var pair = OTLPKeyValue()
        pair.key = key
        pair.value.intValue = number
        return pair
    }

    /// SplitMix64's finaliser: spreads consecutive counters over all 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) | 1
    }

    static func hex64(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
