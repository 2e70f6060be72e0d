/// The protobuf wire format, read in place: the hand-written OTLP reader (`OTLPWireReader`) is
/// built on it.
///
/// Its rules are SwiftProtobuf's `BinaryDecoder`, so that a record this reader accepts is one
/// SwiftProtobuf accepts too, read the same way: varints of at most ten bytes, tags below 2³²
/// with a field number above 0 and a wire type of 0…5, groups skipped to their matching end,
/// nesting at most `maxWireDepth` messages deep (the top-level message is depth 1), strings valid
/// UTF-8. Where a record does anything else the reader gives up with `WireFallback` and the
/// caller lets SwiftProtobuf's generated decoder decide (and word the error).

/// The bytes of one length-delimited field: an offset into the record and a count.
struct WireBytes: Equatable {
    var start: Int
    var count: Int

    static let empty = WireBytes(start: 0, count: 0)
}

/// The reader stops: the record is malformed or uses something it does not read itself.
struct WireFallback: Error {}

enum WireType {
    static let varint: UInt8 = 0
    static let fixed64: UInt8 = 1
    static let lengthDelimited: UInt8 = 2
    static let startGroup: UInt8 = 3
    static let endGroup: UInt8 = 4
    static let fixed32: UInt8 = 5
}

/// SwiftProtobuf's `BinaryDecodingOptions.messageDepthLimit` default.
let maxWireDepth = 100

struct WireCursor {
    let base: UnsafeRawPointer
    var position: Int
    let end: Int

    /// The whole record.
    init(record: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; any non-nil pointer does, as nothing is read.
        base = record.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        position = 0
        end = record.count
    }

    /// One field's bytes of the same record.
    init(base: UnsafeRawPointer, _ bytes: WireBytes) {
        self.base = base
        position = bytes.start
        end = bytes.start + bytes.count
    }

    func sub(_ bytes: WireBytes) -> WireCursor { WireCursor(base: base, bytes) }

    @inline(__always)
    mutating func varint() throws(WireFallback) -> UInt64 {
        guard position < end else { throw WireFallback() }
        var byte = base.load(fromByteOffset: position, as: UInt8.self)
        position &+= 1
        if byte < 0x80 { return UInt64(byte) }
        var value = UInt64(byte & 0x7F)
        var shift: UInt64 = 7
        while true {
            guard position < end, shift <= 63 else { throw WireFallback() }
            byte = base.load(fromByteOffset: position, as: UInt8.self)
            position &+= 1
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// The next field's number and wire type, or nil at the end of the message.
    @inline(__always)
    mutating func tag() throws(WireFallback) -> (field: UInt32, type: UInt8)? {
        guard position < end else { return nil }
        let raw = try varint()
        let type = UInt8(truncatingIfNeeded: raw & 7)
        guard raw < UInt64(UInt32.max), raw >= 8, type <= WireType.fixed32 else { throw WireFallback() }
        return (UInt32(truncatingIfNeeded: raw >> 3), type)
    }

    @inline(__always)
    mutating func fixed64() throws(WireFallback) -> UInt64 {
        guard end - position >= 8 else { throw WireFallback() }
        defer { position &+= 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    @inline(__always)
    mutating func lengthDelimited() throws(WireFallback) -> WireBytes {
        let count = try varint()
        guard count <= UInt64(end - position) else { throw WireFallback() }
        let bytes = WireBytes(start: position, count: Int(count))
        position &+= Int(count)
        return bytes
    }

    /// A string field: its bytes, checked to be UTF-8.
    @inline(__always)
    mutating func string() throws(WireFallback) -> WireBytes {
        let bytes = try lengthDelimited()
        guard isValidUTF8(bytes) else { throw WireFallback() }
        return bytes
    }

    /// Skips a field this reader does not use (or one with an unexpected wire type, which
    /// SwiftProtobuf keeps as an unknown field); `depth` is the enclosing message's.
    mutating func skip(type: UInt8, field: UInt32, depth: Int) throws(WireFallback) {
        switch type {
        case WireType.varint: _ = try varint()
        case WireType.fixed64:
            guard end - position >= 8 else { throw WireFallback() }
            position &+= 8
        case WireType.lengthDelimited: _ = try lengthDelimited()
        case WireType.fixed32:
            guard end - position >= 4 else { throw WireFallback() }
            position &+= 4
        case WireType.startGroup:
            guard depth < maxWireDepth else { throw WireFallback() }
            while true {
                guard let inner = try tag() else { throw WireFallback() }
                if inner.type == WireType.endGroup {
                    guard inner.field == field else { throw WireFallback() }
                    return
                }
                try skip(type: inner.type, field: inner.field, depth: depth + 1)
            }
        default:
            // An end-group tag outside its group.
            throw WireFallback()
        }
    }

    /// Whether the bytes are UTF-8: eight ASCII bytes at a time, then sequence by sequence with
    /// the native JSON decoder's `UTF8Validation` (Unicode table 3-7, the rule SwiftProtobuf's
    /// validating parser applies too) from the first non-ASCII byte on.
    @inline(__always)
    func isValidUTF8(_ bytes: WireBytes) -> Bool {
        var index = bytes.start
        let stop = bytes.start + bytes.count
        while stop - index >= 8 {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index &+= 8
        }
        while index < stop, base.load(fromByteOffset: index, as: UInt8.self) < 0x80 { index &+= 1 }
        return index == stop || isValidUTF8(from: index, to: stop)
    }

    private func isValidUTF8(from start: Int, to stop: Int) -> Bool {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var index = start
        while index < stop {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard case .valid(let length) = UTF8Validation.sequence(at: index, in: bytes, count: stop) else {
                return false
            }
            index += length
        }
        return true
    }

    func string(_ bytes: WireBytes) -> String {
        String(decoding: UnsafeRawBufferPointer(start: base + bytes.start, count: bytes.count), as: UTF8.self)
    }

    func raw(_ bytes: WireBytes) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bytes.start, count: bytes.count)
    }
}
