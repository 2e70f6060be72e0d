/// Typed reads over `JSONScanner` for the gateway formats, whose records are deeper and much
/// larger than the native request log (a LiteLLM payload is ~13 KB, most of it price tables
/// and debug fields Driftline does not need): unknown members are skipped by the scanner,
/// syntax-checked but never materialised.
///
/// Every read takes the field's path in the record (`metadata.user_api_key_team_id`) for the
/// error it may raise, and leaves the cursor after the value. `null` reads as nil everywhere,
/// as the producers write it for "not reported".
struct GatewayJSONReader {
    var scanner: JSONScanner

    init(scanner: JSONScanner) {
        self.scanner = scanner
    }

    /// Runs `body` on a reader over `bytes` after the size and emptiness checks every decoder
    /// applies, then checks that nothing but whitespace follows the record's object.
    static func read<T>(
        _ bytes: UnsafeRawBufferPointer, maxRecordBytes: Int,
        _ body: (inout GatewayJSONReader) throws(DecodeError) -> T
    ) throws(DecodeError) -> T {
        var reader = GatewayJSONReader(scanner: try JSONScanner(record: bytes, maxRecordBytes: maxRecordBytes))
        try reader.scanner.expectRecordObject()
        let result = try body(&reader)
        try reader.scanner.expectEndOfRecord()
        return result
    }

    // MARK: Containers

    /// Consumes `{` (true when the object has members) or `null` (nil); anything else is a
    /// type error for `field`.
    mutating func beginObject(_ field: String) throws(DecodeError) -> Bool? {
        if try scanner.consumeNull() { return nil }
        guard scanner.base[scanner.position] == UInt8(ascii: "{") else {
            throw wrongType(field, "an object or null")
        }
        return try scanner.beginObject()
    }

    /// The next member's key, as a `String` (keys of these formats are few and short) with the
    /// byte offset of its opening quote; the cursor is left on the value.
    mutating func nextKey() throws(DecodeError) -> (name: String, offset: Int) {
        let offset = scanner.position
        let token = try scanner.nextKey()
        return (scanner.makeString(token), offset)
    }

    mutating func endMember() throws(DecodeError) -> Bool {
        try scanner.endMember()
    }

    /// Consumes `[` (true when the array has elements) or `null` (nil).
    mutating func beginArray(_ field: String) throws(DecodeError) -> Bool? {
        if try scanner.consumeNull() { return nil }
        guard scanner.base[scanner.position] == UInt8(ascii: "[") else {
            throw wrongType(field, "an array or null")
        }
        return try scanner.beginArray()
    }

    mutating func endElement() throws(DecodeError) -> Bool {
        try scanner.endElement()
    }

    /// Skips a value this decoder does not use; `depth` is the nesting of the value's container.
    mutating func skip(depth: Int) throws(DecodeError) {
        try scanner.skipValue(depth: depth)
    }

    /// Whether the value at the cursor is of the given kind, without consuming it.
    var atObject: Bool { scanner.base[scanner.position] == UInt8(ascii: "{") }
    var atArray: Bool { scanner.base[scanner.position] == UInt8(ascii: "[") }
    var atString: Bool { scanner.base[scanner.position] == UInt8(ascii: "\"") }

    // MARK: Scalars

    /// A string or `null`.
    mutating func string(_ field: String) throws(DecodeError) -> String? {
        if atString { return scanner.makeString(try scanner.scanString()) }
        if try scanner.consumeNull() { return nil }
        throw wrongType(field, "a string or null")
    }

    /// A string, with `null` and `""` both meaning "not reported".
    mutating func nonEmptyString(_ field: String) throws(DecodeError) -> String? {
        guard let value = try string(field), !value.isEmpty else { return nil }
        return value
    }

    /// A string whose value is checked and then dropped (`keep == false`), or kept.
    mutating func text(_ field: String, keep: Bool) throws(DecodeError) -> String? {
        if atString {
            let token = try scanner.scanString()
            return keep ? scanner.makeString(token) : nil
        }
        if try scanner.consumeNull() { return nil }
        throw wrongType(field, "a string or null")
    }

    mutating func bool(_ field: String) throws(DecodeError) -> Bool? {
        switch scanner.base[scanner.position] {
        case UInt8(ascii: "t"):
            try scanner.scanLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try scanner.scanLiteral("false")
            return false
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw wrongType(field, "true, false or null")
        }
    }

    /// A non-negative integer token count. Python producers write whole floats (`12.0`) for
    /// counts that went through arithmetic, so an integral number with a fraction or exponent
    /// is accepted; `12.5` is not.
    mutating func count(_ field: String) throws(DecodeError) -> Int64? {
        let valueOffset = scanner.position
        if let value = scanner.scanPlainNonNegativeInteger() { return value }
        switch scanner.base[valueOffset] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanner.scanNumber()
            guard let value = number.integralValue, value >= 0 else {
                throw DecodeError(
                    .invalidValue, field: field, byteOffset: valueOffset,
                    reason: "\(field) must be a non-negative integer, got \(scanner.text(of: number))")
            }
            return value
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw wrongType(field, "a non-negative integer or null")
        }
    }

    /// An integer written as a JSON number or as a string of digits (LiteLLM writes HTTP
    /// status codes as strings such as `"429"`); nil for `null`, `""` or any other text.
    mutating func looseInteger(_ field: String) throws(DecodeError) -> Int64? {
        switch scanner.base[scanner.position] {
        case UInt8(ascii: "\""):
            let text = scanner.makeString(try scanner.scanString())
            return Int64(text)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try scanner.scanNumber().integralValue
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw wrongType(field, "an integer, a string or null")
        }
    }

    /// Seconds since the epoch as a JSON number with any fraction (LiteLLM's `startTime`),
    /// converted exactly in decimal and rounded toward the past to whole microseconds.
    mutating func epochSeconds(_ field: String) throws(DecodeError) -> EventTime? {
        let valueOffset = scanner.position
        switch scanner.base[valueOffset] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanner.scanNumber()
            guard let micros = number.epochSecondsAsMicroseconds() else {
                throw scanner.timeOutOfRange(field, valueOffset)
            }
            let time = EventTime(microsecondsSinceEpoch: micros)
            guard EventTime.supportedRange.contains(time) else { throw scanner.timeOutOfRange(field, valueOffset) }
            return time
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw wrongType(field, "a number of seconds since the epoch or null")
        }
    }

    /// A timestamp as the native request log writes it: an RFC 3339 string or a number of
    /// milliseconds since the epoch.
    mutating func timestamp(_ field: String) throws(DecodeError) -> EventTime? {
        try scanner.timestamp(field, nullable: true)
    }

    /// Any value's JSON text exactly as the producer wrote it (syntax-checked); nil for `null`
    /// or when `keep` is false.
    mutating func verbatim(_ field: String, depth: Int, keep: Bool) throws(DecodeError) -> String? {
        if try scanner.consumeNull() { return nil }
        let start = scanner.position
        try scanner.skipValue(depth: depth)
        guard keep else { return nil }
        return String(
            decoding: UnsafeBufferPointer(start: scanner.base + start, count: scanner.position - start), as: UTF8.self)
    }

    // MARK: Errors

    func wrongType(_ field: String, _ expectation: String) -> DecodeError {
        scanner.wrongType(field, expectation)
    }

    func duplicateKey(_ field: String, at offset: Int) -> DecodeError {
        DecodeError(
            .duplicateKey, field: field, byteOffset: offset, reason: "duplicate key \"\(field)\" at byte \(offset)")
    }
}

/// Which keys of one object have been read, so that a repeated key is reported rather than
/// silently overriding the first (RFC 8259 leaves duplicates to the reader; Python's `json`
/// keeps the last, other readers the first, so a producer's intent is unknowable).
struct SeenKeys {
    private var names: [String] = []

    /// Records `name`; false when it was already seen.
    mutating func insert(_ name: String) -> Bool {
        if names.contains(name) { return false }
        names.append(name)
        return true
    }
}
