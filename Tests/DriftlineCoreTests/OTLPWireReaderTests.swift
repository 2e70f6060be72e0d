import DriftlineStats
import Foundation
import SwiftProtobuf
import Testing

@testable import DriftlineCore

/// `OTLPWireReader` against SwiftProtobuf's generated decoding as the oracle: both are rendered
/// to the same text (every span field the mapping reads, every attribute with nested values, the
/// resources), on generated requests, on byte-level mutations of them, on hand-written records
/// that use the wire format's freedoms (field order, repeats, merges, unknown fields, groups,
/// long varints) and at the nesting limit. Where the reader gives up, SwiftProtobuf's answer
/// must be what the decoder then uses.
@Suite("OTLP: wire reader against SwiftProtobuf")
struct OTLPWireReaderTests {
    // MARK: Rendering

    /// What the reader hands its sink, as text; nil when it gives up.
    static func readerView(_ bytes: [UInt8]) -> [String]? {
        var sink = RenderingSink()
        var reader = OTLPWireReader()
        let read = bytes.withUnsafeBytes { raw in (try? reader.read(raw, into: &sink)) != nil }
        return read ? sink.lines : nil
    }

    /// The same text from SwiftProtobuf's decoding; nil when it rejects the bytes.
    static func swiftProtobufView(_ bytes: [UInt8]) -> [String]? {
        guard let request = try? OTLPExportRequest(serializedBytes: bytes) else { return nil }
        return render(request)
    }

    static func render(_ request: OTLPExportRequest) -> [String] {
        var lines: [String] = []
        for (r, resourceSpans) in request.resourceSpans.enumerated() {
            lines.append("resource " + resourceSpans.resource.attributes.map(render).joined(separator: ", "))
            for (s, scopeSpans) in resourceSpans.scopeSpans.enumerated() {
                for (i, span) in scopeSpans.spans.enumerated() {
                    lines.append(
                        spanLine(
                            position: "\(r).\(s).\(i)", trace: hex(span.traceID), span: hex(span.spanID),
                            parent: hex(span.parentSpanID), name: span.name, kind: span.kind.rawValue,
                            status: span.status.code.rawValue, start: span.startTimeUnixNano,
                            end: span.endTimeUnixNano, attributes: span.attributes.map(render),
                            events: span.events.map { "\($0.name.debugDescription)@\($0.timeUnixNano)" }))
                }
            }
        }
        return lines
    }

    static func spanLine(
        position: String, trace: String, span: String, parent: String, name: String, kind: Int, status: Int,
        start: UInt64, end: UInt64, attributes: [String], events: [String]
    ) -> String {
        "span \(position) trace=\(trace) span=\(span) parent=\(parent) name=\(name.debugDescription) kind=\(kind) "
            + "status=\(status) start=\(start) end=\(end) attributes=[\(attributes.joined(separator: ", "))] "
            + "events=[\(events.joined(separator: ", "))]"
    }

    static func render(_ attribute: OTLPKeyValue) -> String {
        "\(attribute.key.debugDescription)=\(attribute.hasValue ? render(attribute.value) : "-")"
    }

    static func render(_ value: OTLPAnyValue) -> String {
        switch value.value {
        case .stringValue(let text)?: return "s:" + text.debugDescription
        case .boolValue(let flag)?: return "b:\(flag)"
        case .intValue(let number)?: return "i:\(number)"
        case .doubleValue(let number)?: return "d:\(number.bitPattern)"
        case .arrayValue(let array)?: return "[" + array.values.map(render).joined(separator: ", ") + "]"
        case .kvlistValue(let list)?: return "{" + list.values.map(render).joined(separator: ", ") + "}"
        case .bytesValue(let data)?: return "x:" + hex(data)
        case .stringValueStrindex(let index)?: return "r:\(index)"
        case nil: return "-"
        }
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    struct RenderingSink: OTLPSpanSink {
        var lines: [String] = []

        mutating func resource(_ attributes: [WireAttribute], in record: WireCursor) {
            lines.append("resource " + attributes.map { Self.render($0, record) }.joined(separator: ", "))
        }

        mutating func span(
            _ span: WireSpan, resource: [WireAttribute], at position: (resource: Int, scope: Int, span: Int),
            in record: WireCursor
        ) {
            func hex(_ bytes: WireBytes) -> String { OTLPWireReaderTests.hex(Data(record.raw(bytes))) }
            lines.append(
                OTLPWireReaderTests.spanLine(
                    position: "\(position.resource).\(position.scope).\(position.span)", trace: hex(span.traceID),
                    span: hex(span.spanID), parent: hex(span.parentSpanID), name: record.string(span.name),
                    kind: Int(span.kind), status: Int(span.statusCode), start: span.startTimeUnixNano,
                    end: span.endTimeUnixNano, attributes: span.attributes.map { Self.render($0, record) },
                    events: span.events.map { "\(record.string($0.name).debugDescription)@\($0.timeUnixNano)" }))
        }

        static func render(_ attribute: WireAttribute, _ record: WireCursor) -> String {
            "\(record.string(attribute.key).debugDescription)=\(render(attribute.value, record))"
        }

        static func render(_ value: WireValue, _ record: WireCursor) -> String {
            switch value {
            case .empty: return "-"
            case .string(let bytes): return "s:" + record.string(bytes).debugDescription
            case .bool(let flag): return "b:\(flag)"
            case .int(let number): return "i:\(number)"
            case .double(let number): return "d:\(number.bitPattern)"
            case .bytes(let bytes): return "x:" + OTLPWireReaderTests.hex(Data(record.raw(bytes)))
            case .stringIndex(let index): return "r:\(index)"
            case .keyValueList(let bytes):
                let attributes = elements(bytes, record).compactMap {
                    try? OTLPWireReader.keyValue(record.sub($0), depth: 0)
                }
                return "{" + attributes.map { render($0, record) }.joined(separator: ", ") + "}"
            case .array(let bytes):
                let values = elements(bytes, record).map { body -> WireValue in
                    var value = WireValue.empty
                    try? OTLPWireReader.anyValue(record.sub(body), depth: 0, into: &value)
                    return value
                }
                return "[" + values.map { render($0, record) }.joined(separator: ", ") + "]"
            }
        }

        /// The bodies of the repeated field 1 of an `ArrayValue` or `KeyValueList`.
        static func elements(_ bytes: WireBytes, _ record: WireCursor) -> [WireBytes] {
            var cursor = record.sub(bytes)
            var bodies: [WireBytes] = []
            while let tag = try? cursor.tag() {
                guard tag.field == 1, tag.type == WireType.lengthDelimited, let body = try? cursor.lengthDelimited()
                else {
                    try? cursor.skip(type: tag.type, field: tag.field, depth: 0)
                    continue
                }
                bodies.append(body)
            }
            return bodies
        }
    }

    // MARK: Generated requests

    static let keys = [
        "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
        "gen_ai.response.finish_reasons", "service.name", "x", "", "ключ", "a.very.long.attribute.key.that.spans.words",
    ]

    static func text(_ random: inout SplitMix64) -> String {
        let pieces = ["chat", "gpt-4o", "", "é", "日本語", "🙂", "a\u{0}b", String(repeating: "z", count: 40)]
        return (0..<Int(random.next() % 3)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    static func value(_ random: inout SplitMix64, depth: Int) -> OTLPAnyValue {
        var value = OTLPAnyValue()
        switch random.next() % (depth > 2 ? 7 : 9) {
        case 0: value.stringValue = text(&random)
        case 1: value.boolValue = random.next() % 2 == 0
        case 2: value.intValue = Int64(bitPattern: random.next()) >> Int64(random.next() % 64)
        case 3: value.doubleValue = [0.25, -1.5e300, .nan, .infinity, 3][Int(random.next() % 5)]
        case 4:
            value.bytesValue = Data((0..<Int(random.next() % 5)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case 5: value.stringValueStrindex = Int32(truncatingIfNeeded: random.next())
        case 6: break  // no value
        case 7:
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            array.values = (0..<Int(random.next() % 3)).map { _ in Self.value(&random, depth: depth + 1) }
            value.arrayValue = array
        default:
            var list = Opentelemetry_Proto_Common_V1_KeyValueList()
            list.values = (0..<Int(random.next() % 3)).map { _ in attribute(&random, depth: depth + 1) }
            value.kvlistValue = list
        }
        return value
    }

    static func attribute(_ random: inout SplitMix64, depth: Int = 0) -> OTLPKeyValue {
        var attribute = OTLPKeyValue()
        attribute.key = keys[Int(random.next() % UInt64(keys.count))]
        if random.next() % 8 != 0 { attribute.value = value(&random, depth: depth) }
        return attribute
    }

    static func id(_ random: inout SplitMix64, _ count: Int) -> Data {
        let length = random.next() % 10 == 0 ? Int(random.next() % 20) : count
        return Data((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }

    static func request(_ random: inout SplitMix64) -> OTLPExportRequest {
        var request = OTLPExportRequest()
        for _ in 0..<(1 + Int(random.next() % 3)) {
            var resourceSpans = OTLPResourceSpans()
            if random.next() % 4 != 0 {
                resourceSpans.resource.attributes = (0..<Int(random.next() % 4)).map { _ in attribute(&random) }
                resourceSpans.resource.droppedAttributesCount = UInt32(random.next() % 3)
            }
            resourceSpans.schemaURL = text(&random)
            for _ in 0..<(1 + Int(random.next() % 2)) {
                var scopeSpans = OTLPScopeSpans()
                scopeSpans.scope.name = text(&random)
                scopeSpans.scope.version = text(&random)
                scopeSpans.scope.attributes = (0..<Int(random.next() % 2)).map { _ in attribute(&random) }
                for _ in 0..<Int(random.next() % 4) {
                    var span = OTLPSpan()
                    span.traceID = id(&random, 16)
                    span.spanID = id(&random, 8)
                    if random.next() % 2 == 0 { span.parentSpanID = id(&random, 8) }
                    span.traceState = text(&random)
                    span.name = text(&random)
                    span.kind = OTLPSpan.SpanKind(rawValue: Int(random.next() % 8)) ?? .unspecified
                    span.startTimeUnixNano = random.next() % 2_000_000_000_000_000_000
                    span.endTimeUnixNano = span.startTimeUnixNano &+ random.next() % 10_000_000_000
                    span.attributes = (0..<Int(random.next() % 9)).map { _ in attribute(&random) }
                    for _ in 0..<Int(random.next() % 3) {
                        var event = OTLPSpan.Event()
                        event.name = text(&random)
                        event.timeUnixNano = random.next()
                        event.attributes = (0..<Int(random.next() % 2)).map { _ in attribute(&random) }
                        span.events.append(event)
                    }
                    if random.next() % 3 == 0 {
                        var link = OTLPSpan.Link()
                        link.traceID = id(&random, 16)
                        link.spanID = id(&random, 8)
                        link.traceState = text(&random)
                        link.attributes = [attribute(&random)]
                        link.flags = UInt32(truncatingIfNeeded: random.next())
                        span.links.append(link)
                    }
                    if random.next() % 2 == 0 {
                        span.status.code = OTLPStatus.StatusCode(rawValue: Int(random.next() % 4)) ?? .unset
                        span.status.message = text(&random)
                    }
                    span.flags = UInt32(truncatingIfNeeded: random.next())
                    span.droppedAttributesCount = UInt32(random.next() % 2)
                    scopeSpans.spans.append(span)
                }
                resourceSpans.scopeSpans.append(scopeSpans)
            }
            request.resourceSpans.append(resourceSpans)
        }
        return request
    }

    static func serialized(_ request: OTLPExportRequest) throws -> [UInt8] { try request.serializedBytes() }

    @Test func generatedRequestsReadAsSwiftProtobufReadsThem() throws {
        var random = SplitMix64(seed: 41)
        for _ in 0..<500 {
            let bytes = try Self.serialized(Self.request(&random))
            let view = try #require(Self.readerView(bytes))
            #expect(view == Self.swiftProtobufView(bytes))
        }
    }

    /// Bytes flipped, dropped, inserted and repeated: whatever the reader accepts SwiftProtobuf
    /// accepts and reads the same; whatever SwiftProtobuf rejects the reader gives up on; and
    /// SwiftProtobuf's re-serialisation of what it accepts, the reader always reads.
    @Test func mutatedRecordsReadAsSwiftProtobufReadsThemOrFallBack() throws {
        var random = SplitMix64(seed: 43)
        var accepted = 0
        var rejected = 0
        var fellBack = 0
        for _ in 0..<150 {
            let original = try Self.serialized(Self.request(&random))
            for _ in 0..<30 {
                var bytes = original
                for _ in 0..<(random.next() % 4 == 0 ? 2 : 1) { Self.mutate(&bytes, &random) }
                let oracle = try? OTLPExportRequest(serializedBytes: bytes)
                let view = Self.readerView(bytes)
                if let view {
                    #expect(oracle.map(Self.render) == view, "bytes \(bytes)")
                } else if let oracle {
                    fellBack += 1
                    let canonical = try Self.serialized(oracle)
                    #expect(Self.readerView(canonical) == Self.render(oracle))
                }
                if oracle == nil {
                    #expect(view == nil, "SwiftProtobuf rejects, the reader accepted: \(bytes)")
                    rejected += 1
                } else {
                    accepted += 1
                }
            }
        }
        // Both outcomes are exercised; the reader leaves few accepted records to SwiftProtobuf.
        #expect(accepted > 500 && rejected > 500, "\(accepted) accepted, \(rejected) rejected")
        #expect(fellBack * 20 < accepted, "fell back on \(fellBack) of \(accepted) accepted records")
    }

    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 4 {
        case 0: bytes[at] ^= UInt8(1 << (random.next() % 8))
        case 1: bytes.removeSubrange(at...)
        case 2:
            let noise = (0..<Int(1 + random.next() % 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: noise, at: at)
        default:
            let piece = Array(bytes[at..<min(bytes.count, at + Int(1 + random.next() % 16))])
            bytes.insert(contentsOf: piece, at: at)
        }
    }

    // MARK: The wire format's freedoms, written by hand

    /// A protobuf writer for records SwiftProtobuf would never write.
    struct Writer {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64, padTo length: Int = 0) {
            var value = value
            var written = 0
            while value >= 0x80 || written + 1 < length {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
                written += 1
            }
            bytes.append(UInt8(value))
        }
        mutating func tag(_ field: UInt64, _ type: UInt8) { varint(field << 3 | UInt64(type)) }
        mutating func message(_ field: UInt64, _ body: (inout Writer) -> Void) {
            var inner = Writer()
            body(&inner)
            bytes(field, inner.bytes)
        }
        mutating func bytes(_ field: UInt64, _ body: [UInt8]) {
            tag(field, WireType.lengthDelimited)
            varint(UInt64(body.count))
            bytes += body
        }
        mutating func string(_ field: UInt64, _ text: String) { bytes(field, Array(text.utf8)) }
        mutating func fixed64(_ field: UInt64, _ value: UInt64) {
            tag(field, WireType.fixed64)
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        mutating func fixed32(_ field: UInt64, _ value: UInt32) {
            tag(field, WireType.fixed32)
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        /// One of every kind of unknown field, a nested group among them.
        mutating func unknownFields(_ field: UInt64) {
            tag(field, WireType.varint)
            varint(300)
            fixed64(field + 1, 7)
            fixed32(field + 2, 7)
            bytes(field + 3, [0xFF, 0x00, 0xC3])  // not UTF-8: unknown bytes are not checked
            tag(field + 4, WireType.startGroup)
            tag(1, WireType.varint)
            varint(1)
            tag(2, WireType.startGroup)
            fixed64(3, 9)
            tag(2, WireType.endGroup)
            tag(field + 4, WireType.endGroup)
        }
        mutating func attribute(_ field: UInt64, _ key: String, _ value: (inout Writer) -> Void) {
            message(field) { kv in
                kv.string(1, key)
                kv.message(2, value)
            }
        }
    }

    static func spanBody(_ span: inout Writer) {
        span.bytes(1, Array(repeating: 0xAB, count: 16))
        span.bytes(2, Array(repeating: 0xCD, count: 8))
        span.string(5, "chat gpt-4o")
        span.fixed64(7, 1_000)
        span.fixed64(8, 2_000)
    }

    /// Records the reader reads itself, in the same way as SwiftProtobuf.
    static let freedoms: [(String, [UInt8])] = {
        var cases: [(String, [UInt8])] = []
        func add(_ name: String, _ body: (inout Writer) -> Void) {
            var writer = Writer()
            body(&writer)
            cases.append((name, writer.bytes))
        }
        add("resource after its spans, and twice (merged)") { request in
            request.message(1) { rs in
                rs.message(2) { ss in ss.message(2, Self.spanBody) }
                rs.message(1) { r in r.attribute(1, "service.name") { $0.string(1, "a") } }
                rs.message(1) { r in r.attribute(1, "deployment.environment.name") { $0.string(1, "prod") } }
            }
        }
        add("singular fields repeated: the last wins; status merged") { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.bytes(1, Array(repeating: 0x11, count: 16))
                        span.string(5, "second name")
                        span.tag(6, WireType.varint)
                        span.varint(2)
                        span.tag(6, WireType.varint)
                        span.varint(3)
                        span.fixed64(7, 1_500)
                        span.message(15) { status in
                            status.tag(3, WireType.varint)
                            status.varint(2)
                            status.string(2, "first")
                        }
                        span.message(15) { status in status.string(2, "second") }
                    }
                }
            }
        }
        add("a value repeated merges: string, then int; then an empty value keeps the int") { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.message(9) { kv in
                            kv.string(1, "gen_ai.usage.input_tokens")
                            kv.message(2) { $0.string(1, "ten") }
                            kv.message(2) { value in
                                value.tag(3, WireType.varint)
                                value.varint(10)
                            }
                            kv.message(2) { _ in }
                        }
                        span.message(9) { kv in
                            kv.string(1, "mixed")
                            kv.message(2) { value in
                                value.message(5) { $0.message(1) { $0.string(1, "in an array") } }
                                value.string(1, "then a string")
                            }
                        }
                        span.message(9) { kv in kv.string(1, "no value") }
                    }
                }
            }
        }
        add("known fields with another wire type are unknown fields") { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.tag(5, WireType.varint)  // name as a varint
                        span.varint(5)
                        span.bytes(7, [1, 2, 3])  // start time as bytes
                        span.tag(9, WireType.fixed32)  // an attribute as fixed32
                        span.bytes += [1, 2, 3, 4]
                    }
                }
            }
        }
        add("unknown fields of every wire type, groups included, at every level") { request in
            request.unknownFields(100)
            request.message(1) { rs in
                rs.unknownFields(50)
                rs.message(1) { r in
                    r.unknownFields(20)
                    r.attribute(1, "service.name") { value in
                        value.unknownFields(30)
                        value.string(1, "svc")
                    }
                }
                rs.message(2) { ss in
                    ss.unknownFields(40)
                    ss.message(1) { scope in scope.unknownFields(60) }
                    ss.message(2) { span in
                        span.unknownFields(200)
                        Self.spanBody(&span)
                        span.message(11) { event in
                            event.unknownFields(70)
                            event.string(2, "gen_ai.content.first_token")
                            event.fixed64(1, 1_400)
                        }
                    }
                }
            }
        }
        add("varints padded to ten bytes, and field numbers up to 2^29 - 1") { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.tag(6, WireType.varint)
                        span.varint(3, padTo: 10)
                        span.tag((1 << 29) - 1, WireType.varint)
                        span.varint(1)
                        span.message(9) { kv in
                            kv.string(1, "gen_ai.usage.output_tokens")
                            kv.message(2) { value in
                                value.tag(3, WireType.varint)
                                value.varint(UInt64(bitPattern: -5), padTo: 10)
                            }
                        }
                    }
                }
            }
        }
        add("an enum number past Int32 is truncated, as SwiftProtobuf reads it") { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.tag(6, WireType.varint)
                        span.varint(1 << 32 | 3)
                    }
                }
            }
        }
        add("empty messages and an empty request") { request in
            request.message(1) { rs in rs.message(2) { ss in ss.message(2) { _ in } } }
            request.message(1) { _ in }
        }
        return cases
    }()

    @Test(arguments: freedoms.map(\.0))
    func wireFreedomsReadAsSwiftProtobufReadsThem(name: String) throws {
        let bytes = try #require(Self.freedoms.first { $0.0 == name }?.1)
        let oracle = try #require(Self.swiftProtobufView(bytes))
        #expect(Self.readerView(bytes) == oracle)
    }

    /// Records the reader gives up on: SwiftProtobuf decides.
    static let refusals: [(String, accepted: Bool, [UInt8])] = {
        var cases: [(String, Bool, [UInt8])] = []
        func add(_ name: String, accepted: Bool, _ body: (inout Writer) -> Void) {
            var writer = Writer()
            body(&writer)
            cases.append((name, accepted, writer.bytes))
        }
        func inSpan(_ body: @escaping (inout Writer) -> Void) -> (inout Writer) -> Void {
            { request in request.message(1) { rs in rs.message(2) { ss in ss.message(2, body) } } }
        }
        add(
            "an array value merged into another", accepted: true,
            inSpan { span in
                Self.spanBody(&span)
                span.message(9) { kv in
                    kv.string(1, "gen_ai.response.finish_reasons")
                    kv.message(2) { $0.message(5) { $0.message(1) { $0.string(1, "stop") } } }
                    kv.message(2) { $0.message(5) { $0.message(1) { $0.string(1, "length") } } }
                }
            })
        add(
            "invalid UTF-8 in a string field the mapping does not use", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.bytes(3, [0x61, 0xC3, 0x28])
            })
        add(
            "a surrogate encoded in UTF-8 in an attribute key", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.message(9) { kv in kv.bytes(1, [0xED, 0xA0, 0x80]) }
            })
        add(
            "an eleven-byte varint", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(6, WireType.varint)
                span.bytes += Array(repeating: 0x80, count: 10) + [0x01]
            })
        add(
            "wire type 6", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(30, 6)
            })
        add(
            "an end group without its start", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(30, WireType.endGroup)
            })
        add(
            "a group closed by another field's end", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(30, WireType.startGroup)
                span.tag(31, WireType.endGroup)
            })
        add(
            "field number 0", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(0, WireType.varint)
                span.varint(1)
            })
        add(
            "a length past the end", accepted: false,
            inSpan { span in
                Self.spanBody(&span)
                span.tag(5, WireType.lengthDelimited)
                span.varint(1000)
            })
        add("a fixed64 cut short", accepted: false) { request in
            request.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.tag(7, WireType.fixed64)
                        span.bytes += [1, 2, 3]
                    }
                }
            }
        }
        return cases
    }()

    @Test(arguments: refusals.map(\.0))
    func theReaderGivesUpWhereSwiftProtobufDecides(name: String) throws {
        let entry = try #require(Self.refusals.first { $0.0 == name })
        #expect(Self.readerView(entry.2) == nil)
        let oracle = try? OTLPExportRequest(serializedBytes: entry.2)
        #expect((oracle != nil) == entry.accepted)
        if let oracle {
            #expect(Self.readerView(try Self.serialized(oracle)) == Self.render(oracle))
        }
    }

    /// Attribute values nested around SwiftProtobuf's depth limit (100 messages, the request
    /// being 1): accepted and rejected at the same depth.
    @Test func nestingLimitIsSwiftProtobufs() throws {
        var seen = (accepted: false, rejected: false)
        for levels in 40...52 {
            var value = OTLPAnyValue()
            value.stringValue = "deep"
            for _ in 0..<levels {
                var array = Opentelemetry_Proto_Common_V1_ArrayValue()
                array.values = [value]
                value = OTLPAnyValue()
                value.arrayValue = array
            }
            var writer = Writer()
            let valueBytes: [UInt8] = try value.serializedBytes()
            writer.message(1) { rs in
                rs.message(2) { ss in
                    ss.message(2) { span in
                        Self.spanBody(&span)
                        span.message(9) { kv in
                            kv.string(1, "deep")
                            kv.bytes(2, valueBytes)
                        }
                    }
                }
            }
            let oracle = Self.swiftProtobufView(writer.bytes)
            #expect(Self.readerView(writer.bytes) == oracle, "\(levels) levels")
            if oracle == nil { seen.rejected = true } else { seen.accepted = true }
        }
        #expect(seen.accepted && seen.rejected)
    }

    // MARK: Through the decoder

    /// A mutated record decodes to what SwiftProtobuf's reading of it decodes to: the same events
    /// or the same error, or SwiftProtobuf's error when it rejects the bytes.
    @Test func decoderResultsEqualDecodingSwiftProtobufsReading() throws {
        var random = SplitMix64(seed: 47)
        let decoder = OTLPDecoder(encoding: .protobuf)
        let fixture = try OTLPFixtureTests.bytes("batch.pb")
        for round in 0..<600 {
            var bytes = fixture
            for _ in 0..<(1 + round % 3) { Self.mutate(&bytes, &random) }
            // A leading `{` is refused as OTLP/JSON before any protobuf is read.
            if bytes.first == UInt8(ascii: "{") { continue }
            let result = Result { () throws(DecodeError) in try decoder.decode(bytes) }
            guard let oracle = try? OTLPExportRequest(serializedBytes: bytes) else {
                guard case .failure(let error) = result else {
                    Issue.record("SwiftProtobuf rejects \(bytes), the decoder accepted it")
                    continue
                }
                #expect([.malformedProtobuf, .wrongEncoding, .empty].contains(error.code), "\(error)")
                continue
            }
            let reserialised = try Self.serialized(oracle)
            let canonical = Result { () throws(DecodeError) in try decoder.decode(reserialised) }
            switch (result, canonical) {
            case (.success(let lhs), .success(let rhs)): #expect(lhs == rhs)
            case (.failure(let lhs), .failure(let rhs)): #expect(lhs == rhs)
            default: Issue.record("\(result) against \(canonical) for \(bytes)")
            }
        }
    }
}
