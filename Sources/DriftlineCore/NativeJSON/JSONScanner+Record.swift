/// What the JSON record decoders (native request logs, gateway logs) share around the scanner:
/// the framing of a record as one top-level object, the timestamp syntax, and the wording of
/// the errors every field read can raise.
extension JSONScanner {
    /// A scanner over one record, after the size and emptiness checks (`recordStart`).
    init(record bytes: UnsafeRawBufferPointer, maxRecordBytes: Int) throws(DecodeError) {
        self.init(base: try recordStart(of: bytes, maxRecordBytes: maxRecordBytes), count: bytes.count)
    }

    /// Skips leading whitespace and requires the record's top-level `{` (not consumed).
    mutating func expectRecordObject() throws(DecodeError) {
        skipWhitespace()
        guard position < count else {
            throw DecodeError(.empty, reason: "record is empty (only whitespace)")
        }
        guard base[position] == UInt8(ascii: "{") else {
            throw DecodeError(
                .notAnObject, byteOffset: position, reason: "record must be a JSON object, got \(describeValue())")
        }
    }

    /// After the top-level object: nothing but whitespace may follow.
    mutating func expectEndOfRecord() throws(DecodeError) {
        skipWhitespace()
        guard position == count else {
            if let encodingError = encodingError(at: position) { throw encodingError }
            throw DecodeError(
                .trailingData, byteOffset: position, reason: "unexpected data after the JSON object at byte \(position)"
            )
        }
    }

    /// A timestamp as the native request log writes it: an RFC 3339 string or a JSON number of
    /// milliseconds since the epoch; `null` is nil when `nullable`, a type error otherwise.
    mutating func timestamp(_ field: String, nullable: Bool) throws(DecodeError) -> EventTime? {
        let valueOffset = position
        let expectation = "an RFC 3339 timestamp or epoch milliseconds"
        let micros: Int64
        switch base[valueOffset] {
        case UInt8(ascii: "\""):
            let token = try scanString()
            do throws(RFC3339Error) {
                if token.hasEscapes {
                    micros = try parseEscapedTimestamp(token)
                } else {
                    micros = try RFC3339.parse(base + token.start, count: token.byteCount)
                }
            } catch {
                throw DecodeError(
                    .invalidValue, field: field, byteOffset: valueOffset,
                    reason:
                        "\(field) must be \(expectation), got \(excerpt(from: valueOffset, to: position)): \(error.detail)"
                )
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanNumber()
            guard let converted = number.epochMillisecondsAsMicroseconds() else {
                throw timeOutOfRange(field, valueOffset)
            }
            micros = converted
        case UInt8(ascii: "n") where nullable:
            try scanLiteral("null")
            return nil
        default:
            throw wrongType(field, expectation)
        }
        let time = EventTime(microsecondsSinceEpoch: micros)
        guard EventTime.supportedRange.contains(time) else { throw timeOutOfRange(field, valueOffset) }
        return time
    }

    /// Escapes in a timestamp are legal JSON, if odd; unescape and parse the copy.
    private func parseEscapedTimestamp(_ token: JSONStringToken) throws(RFC3339Error) -> Int64 {
        var unescaped = makeString(token)
        return try unescaped.withUTF8 { utf8 in
            Result { () throws(RFC3339Error) in
                try RFC3339.parse(utf8.baseAddress ?? base, count: utf8.count)
            }
        }.get()
    }

    /// The value at the cursor has the wrong JSON type for `field`.
    func wrongType(_ field: String, _ expectation: String) -> DecodeError {
        DecodeError(
            .wrongType, field: field, byteOffset: position,
            reason: "\(field) must be \(expectation), got \(describeValue())")
    }

    /// The time just scanned from `valueOffset` lies outside the years 0000…9999.
    func timeOutOfRange(_ field: String, _ valueOffset: Int) -> DecodeError {
        DecodeError(
            .invalidValue, field: field, byteOffset: valueOffset,
            reason:
                "\(field) must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, got \(excerpt(from: valueOffset, to: position))"
        )
    }
}
