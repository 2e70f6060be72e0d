/// A hand-written reader of a serialized `ExportTraceServiceRequest` that walks the record in
/// place and hands each span, with its resource's attributes, to a sink, without building
/// SwiftProtobuf messages: no heap object per message, attribute or value, and no `String` for
/// what the mapping does not use.
///
/// It checks everything SwiftProtobuf's generated decoder checks (every string field's UTF-8,
/// nested attribute values included) and reads fields the way it does: the last value of a
/// singular field wins, a repeated message field appends, a singular message field that occurs
/// twice is merged (for `resource` and `status`, by reading both in order). What it does not read
/// itself, it refuses with `WireFallback`: malformed bytes, and the one merge that would need
/// more than one byte range, an `array_value` or `kvlist_value` merged into another. The caller
/// then decodes with SwiftProtobuf, which decides, and reads its re-serialised message here.
///
/// The tests check it against SwiftProtobuf's decoding on generated, mutated and fixture records
/// (`OTLPWireReaderTests`).
struct OTLPWireReader {
    private var resourceAttributes: [WireAttribute] = []
    private var scopes: [WireBytes] = []
    private var span = WireSpan()

    mutating func read<Sink: OTLPSpanSink>(
        _ record: UnsafeRawBufferPointer, into sink: inout Sink
    ) throws(WireFallback) {
        var request = WireCursor(record: record)
        var index = 0
        while let tag = try request.tag() {
            if tag.field == 1, tag.type == WireType.lengthDelimited {
                try resourceSpans(request.sub(request.lengthDelimited()), index: index, into: &sink)
                index += 1
            } else {
                try request.skip(type: tag.type, field: tag.field, depth: 1)
            }
        }
    }

    // MARK: Messages (the depth in each is SwiftProtobuf's: the request is 1)

    private mutating func resourceSpans<Sink: OTLPSpanSink>(
        _ cursor: WireCursor, index: Int, into sink: inout Sink
    ) throws(WireFallback) {
        var cursor = cursor
        resourceAttributes.removeAll(keepingCapacity: true)
        scopes.removeAll(keepingCapacity: true)
        // The resource may follow its spans in the bytes: read it first, the spans after.
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited): try resource(cursor.sub(cursor.lengthDelimited()))
            case (2, WireType.lengthDelimited): scopes.append(try cursor.lengthDelimited())
            case (3, WireType.lengthDelimited): _ = try cursor.string()  // schema_url
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 2)
            }
        }
        sink.resource(resourceAttributes, in: cursor)
        for (scopeIndex, scope) in scopes.enumerated() {
            try scopeSpans(cursor.sub(scope), position: (index, scopeIndex), into: &sink)
        }
    }

    private mutating func resource(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited):
                resourceAttributes.append(try Self.keyValue(cursor.sub(cursor.lengthDelimited()), depth: 4))
            case (2, WireType.varint): _ = try cursor.varint()  // dropped_attributes_count
            case (3, WireType.lengthDelimited): try Self.entityRef(cursor.sub(cursor.lengthDelimited()))
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 3)
            }
        }
    }

    private static func entityRef(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        while let tag = try cursor.tag() {
            if (1...4).contains(tag.field), tag.type == WireType.lengthDelimited {
                _ = try cursor.string()  // schema_url, type, id_keys, description_keys
            } else {
                try cursor.skip(type: tag.type, field: tag.field, depth: 4)
            }
        }
    }

    private mutating func scopeSpans<Sink: OTLPSpanSink>(
        _ cursor: WireCursor, position: (resource: Int, scope: Int), into sink: inout Sink
    ) throws(WireFallback) {
        var cursor = cursor
        var index = 0
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited): try Self.scope(cursor.sub(cursor.lengthDelimited()))
            case (2, WireType.lengthDelimited):
                try span(cursor.sub(cursor.lengthDelimited()))
                sink.span(
                    span, resource: resourceAttributes, at: (position.resource, position.scope, index), in: cursor)
                index += 1
            case (3, WireType.lengthDelimited): _ = try cursor.string()  // schema_url
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 3)
            }
        }
    }

    /// InstrumentationScope: checked, not used.
    private static func scope(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited), (2, WireType.lengthDelimited): _ = try cursor.string()
            case (3, WireType.lengthDelimited): _ = try keyValue(cursor.sub(cursor.lengthDelimited()), depth: 5)
            case (4, WireType.varint): _ = try cursor.varint()
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 4)
            }
        }
    }

    private mutating func span(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        span.reset()
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited): span.traceID = try cursor.lengthDelimited()
            case (2, WireType.lengthDelimited): span.spanID = try cursor.lengthDelimited()
            case (3, WireType.lengthDelimited): _ = try cursor.string()  // trace_state
            case (4, WireType.lengthDelimited): span.parentSpanID = try cursor.lengthDelimited()
            case (5, WireType.lengthDelimited): span.name = try cursor.string()
            case (6, WireType.varint): span.kind = Int32(truncatingIfNeeded: try cursor.varint())
            case (7, WireType.fixed64): span.startTimeUnixNano = try cursor.fixed64()
            case (8, WireType.fixed64): span.endTimeUnixNano = try cursor.fixed64()
            case (9, WireType.lengthDelimited):
                span.attributes.append(try Self.keyValue(cursor.sub(cursor.lengthDelimited()), depth: 5))
            case (11, WireType.lengthDelimited):
                span.events.append(try Self.event(cursor.sub(cursor.lengthDelimited())))
            case (13, WireType.lengthDelimited): try Self.link(cursor.sub(cursor.lengthDelimited()))
            case (15, WireType.lengthDelimited): try status(cursor.sub(cursor.lengthDelimited()))
            case (10, WireType.varint), (12, WireType.varint), (14, WireType.varint): _ = try cursor.varint()
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 4)
            }
        }
    }

    private static func event(_ cursor: WireCursor) throws(WireFallback) -> WireEvent {
        var cursor = cursor
        var event = WireEvent(name: .empty, timeUnixNano: 0)
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.fixed64): event.timeUnixNano = try cursor.fixed64()
            case (2, WireType.lengthDelimited): event.name = try cursor.string()
            case (3, WireType.lengthDelimited): _ = try keyValue(cursor.sub(cursor.lengthDelimited()), depth: 6)
            case (4, WireType.varint): _ = try cursor.varint()
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 5)
            }
        }
        return event
    }

    /// Span links: checked, not used.
    private static func link(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited), (2, WireType.lengthDelimited): _ = try cursor.lengthDelimited()
            case (3, WireType.lengthDelimited): _ = try cursor.string()
            case (4, WireType.lengthDelimited): _ = try keyValue(cursor.sub(cursor.lengthDelimited()), depth: 6)
            case (5, WireType.varint): _ = try cursor.varint()
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 5)
            }
        }
    }

    /// A repeated `status` merges: each occurrence's fields overwrite the earlier ones.
    private mutating func status(_ cursor: WireCursor) throws(WireFallback) {
        var cursor = cursor
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (2, WireType.lengthDelimited): _ = try cursor.string()  // message
            case (3, WireType.varint): span.statusCode = Int32(truncatingIfNeeded: try cursor.varint())
            default: try cursor.skip(type: tag.type, field: tag.field, depth: 5)
            }
        }
    }

    // MARK: Attributes

    static func keyValue(_ cursor: WireCursor, depth: Int) throws(WireFallback) -> WireAttribute {
        guard depth <= maxWireDepth else { throw WireFallback() }
        var cursor = cursor
        var attribute = WireAttribute(key: .empty, value: .empty)
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited): attribute.key = try cursor.string()
            // A repeated value merges into the earlier one, as SwiftProtobuf reads it.
            case (2, WireType.lengthDelimited):
                try anyValue(cursor.sub(cursor.lengthDelimited()), depth: depth + 1, into: &attribute.value)
            case (3, WireType.varint): _ = try cursor.varint()  // key_strindex
            default: try cursor.skip(type: tag.type, field: tag.field, depth: depth)
            }
        }
        return attribute
    }

    static func anyValue(_ cursor: WireCursor, depth: Int, into value: inout WireValue) throws(WireFallback) {
        guard depth <= maxWireDepth else { throw WireFallback() }
        var cursor = cursor
        while let tag = try cursor.tag() {
            switch (tag.field, tag.type) {
            case (1, WireType.lengthDelimited): value = .string(try cursor.string())
            case (2, WireType.varint): value = .bool(try cursor.varint() != 0)
            case (3, WireType.varint): value = .int(Int64(bitPattern: try cursor.varint()))
            case (4, WireType.fixed64): value = .double(Double(bitPattern: try cursor.fixed64()))
            case (5, WireType.lengthDelimited):
                if case .array = value { throw WireFallback() }  // merging two arrays: one range cannot say it
                let bytes = try cursor.lengthDelimited()
                try arrayValue(cursor.sub(bytes), depth: depth + 1)
                value = .array(bytes)
            case (6, WireType.lengthDelimited):
                if case .keyValueList = value { throw WireFallback() }
                let bytes = try cursor.lengthDelimited()
                try keyValueList(cursor.sub(bytes), depth: depth + 1)
                value = .keyValueList(bytes)
            case (7, WireType.lengthDelimited): value = .bytes(try cursor.lengthDelimited())
            case (8, WireType.varint): value = .stringIndex(Int32(truncatingIfNeeded: try cursor.varint()))
            default: try cursor.skip(type: tag.type, field: tag.field, depth: depth)
            }
        }
    }

    private static func arrayValue(_ cursor: WireCursor, depth: Int) throws(WireFallback) {
        guard depth <= maxWireDepth else { throw WireFallback() }
        var cursor = cursor
        while let tag = try cursor.tag() {
            if tag.field == 1, tag.type == WireType.lengthDelimited {
                var element = WireValue.empty
                try anyValue(cursor.sub(cursor.lengthDelimited()), depth: depth + 1, into: &element)
            } else {
                try cursor.skip(type: tag.type, field: tag.field, depth: depth)
            }
        }
    }

    private static func keyValueList(_ cursor: WireCursor, depth: Int) throws(WireFallback) {
        guard depth <= maxWireDepth else { throw WireFallback() }
        var cursor = cursor
        while let tag = try cursor.tag() {
            if tag.field == 1, tag.type == WireType.lengthDelimited {
                _ = try keyValue(cursor.sub(cursor.lengthDelimited()), depth: depth + 1)
            } else {
                try cursor.skip(type: tag.type, field: tag.field, depth: depth)
            }
        }
    }

    /// The first element of an array value the reader has already checked.
    static func firstElement(of array: WireBytes, in cursor: WireCursor) -> WireValue? {
        var cursor = cursor.sub(array)
        while let tag = try? cursor.tag() {
            guard tag.field == 1, tag.type == WireType.lengthDelimited else {
                guard (try? cursor.skip(type: tag.type, field: tag.field, depth: 0)) != nil else { return nil }
                continue
            }
            var element = WireValue.empty
            guard let bytes = try? cursor.lengthDelimited(),
                (try? anyValue(cursor.sub(bytes), depth: 0, into: &element)) != nil
            else { return nil }
            return element
        }
        return nil
    }
}

/// What receives the spans of a record as `OTLPWireReader` walks it.
protocol OTLPSpanSink {
    /// A resource's attributes, before its spans.
    mutating func resource(_ attributes: [WireAttribute], in record: WireCursor)
    /// One span; `position` is its resource, scope and span index.
    mutating func span(
        _ span: WireSpan, resource: [WireAttribute], at position: (resource: Int, scope: Int, span: Int),
        in record: WireCursor)
}

/// An `AnyValue`, with its strings, bytes and nested values as ranges of the record.
enum WireValue: Equatable {
    case empty
    case string(WireBytes)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case array(WireBytes)
    case keyValueList(WireBytes)
    case bytes(WireBytes)
    case stringIndex(Int32)
}

struct WireAttribute {
    var key: WireBytes
    var value: WireValue
}

struct WireEvent {
    var name: WireBytes
    var timeUnixNano: UInt64
}

/// The fields of a span the mapping reads; the reader reuses one value span to span.
struct WireSpan {
    var traceID = WireBytes.empty
    var spanID = WireBytes.empty
    var parentSpanID = WireBytes.empty
    var name = WireBytes.empty
    /// The raw enum numbers; the mapping rejects those the protos do not define.
    var kind: Int32 = 0
    var statusCode: Int32 = 0
    var startTimeUnixNano: UInt64 = 0
    var endTimeUnixNano: UInt64 = 0
    var attributes: [WireAttribute] = []
    var events: [WireEvent] = []

    mutating func reset() {
        traceID = .empty
        spanID = .empty
        parentSpanID = .empty
        name = .empty
        kind = 0
        statusCode = 0
        startTimeUnixNano = 0
        endTimeUnixNano = 0
        attributes.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }
}
