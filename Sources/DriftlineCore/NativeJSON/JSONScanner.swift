/// A string value's location in the record, between its quotes. Escapes have been checked.
struct JSONStringToken {
    var start: Int
    var end: Int
    var hasEscapes: Bool

    var byteCount: Int { end - start }
}

/// A forward-only cursor over one record's bytes that checks JSON syntax (RFC 8259) as it
/// goes and never reads outside `0..<count`.
///
/// Values are scanned in place: strings become `JSONStringToken`s and numbers
/// `JSONNumberToken`s, and only the decoder decides what to materialise.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position: Int

    /// How deep containers may nest, counting the record's own object as 1. Known fields
    /// nest at most 2 deep; the limit only bounds recursion over unknown values.
    static let maxDepth = 64

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        self.position = 0
    }

    // MARK: Structure

    mutating func skipWhitespace() {
        while position < count {
            switch base[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                position += 1
            default:
                return
            }
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    @inline(__always)
    mutating func peekToken() throws(DecodeError) -> UInt8 {
        // Producers mostly write compact JSON: test for "no whitespace" inline.
        if position < count, base[position] > UInt8(ascii: " ") { return base[position] }
        skipWhitespace()
        guard position < count else { throw truncatedError() }
        return base[position]
    }

    /// Consumes `{` and reports whether the object has members.
    mutating func beginObject() throws(DecodeError) -> Bool {
        position += 1
        if try peekToken() == UInt8(ascii: "}") {
            position += 1
            return false
        }
        return true
    }

    /// Consumes a member's key and the colon, leaving the cursor on the value's first byte.
    @inline(__always)
    mutating func nextKey() throws(DecodeError) -> JSONStringToken {
        guard try peekToken() == UInt8(ascii: "\"") else { throw unexpectedError(expected: "a string key") }
        let key = try scanShortString()
        guard try peekToken() == UInt8(ascii: ":") else { throw unexpectedError(expected: "':'") }
        position += 1
        _ = try peekToken()
        return key
    }

    /// Consumes the separator after an object member; false after the closing brace.
    mutating func endMember() throws(DecodeError) -> Bool {
        switch try peekToken() {
        case UInt8(ascii: ","):
            position += 1
            return true
        case UInt8(ascii: "}"):
            position += 1
            return false
        default:
            throw unexpectedError(expected: "',' or '}'")
        }
    }

    /// Consumes `[` and reports whether the array has elements, leaving the cursor on the
    /// first element.
    mutating func beginArray() throws(DecodeError) -> Bool {
        position += 1
        if try peekToken() == UInt8(ascii: "]") {
            position += 1
            return false
        }
        return true
    }

    /// Consumes the separator after an array element; false after the closing bracket.
    /// Leaves the cursor on the next element.
    mutating func endElement() throws(DecodeError) -> Bool {
        switch try peekToken() {
        case UInt8(ascii: ","):
            position += 1
            _ = try peekToken()
            return true
        case UInt8(ascii: "]"):
            position += 1
            return false
        default:
            throw unexpectedError(expected: "',' or ']'")
        }
    }

    /// Consumes `null` if it is next (the cursor is on a value's first byte).
    mutating func consumeNull() throws(DecodeError) -> Bool {
        guard base[position] == UInt8(ascii: "n") else { return false }
        try scanLiteral("null")
        return true
    }

    /// Skips one value of any type, checking its syntax.
    mutating func skipValue(depth: Int) throws(DecodeError) {
        switch base[position] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw nestingError() }
            guard try beginObject() else { return }
            repeat {
                _ = try nextKey()
                try skipValue(depth: depth + 1)
            } while try endMember()
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw nestingError() }
            guard try beginArray() else { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try endElement()
        case UInt8(ascii: "t"):
            try scanLiteral("true")
        case UInt8(ascii: "f"):
            try scanLiteral("false")
        case UInt8(ascii: "n"):
            try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            throw unexpectedError(expected: "a value")
        }
    }

    mutating func scanLiteral(_ literal: StaticString) throws(DecodeError) {
        let bytes = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard position + offset < count else { throw truncatedError() }
            guard base[position + offset] == bytes[offset] else {
                position += offset
                throw unexpectedError(expected: "'\(literal)'")
            }
        }
        position += literal.utf8CodeUnitCount
    }

    // MARK: Strings

    /// `scanString` with the common case inline: a plain ASCII string of under 16 bytes,
    /// which is what keys and most dimension values are.
    @inline(__always)
    mutating func scanShortString() throws(DecodeError) -> JSONStringToken {
        let start = position + 1
        if start + 16 <= count {
            var flags = JSONScanner.specialByteFlags(base + start)
            var wordStart = start
            if flags == 0 {
                flags = JSONScanner.specialByteFlags(base + start + 8)
                wordStart += 8
            }
            let end = wordStart + flags.trailingZeroBitCount >> 3
            if flags != 0, base[end] == UInt8(ascii: "\"") {
                position = end + 1
                return JSONStringToken(start: start, end: end, hasEscapes: false)
            }
        }
        return try scanString()
    }

    /// Scans a string whose opening quote is at the cursor, checking escapes and UTF-8 and
    /// rejecting raw control characters; leaves the cursor after the closing quote.
    mutating func scanString() throws(DecodeError) -> JSONStringToken {
        let start = position + 1
        var index = start
        var hasEscapes = false
        while true {
            index = nextStringSpecialByte(from: index)
            guard index < count else { throw truncatedError() }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONStringToken(start: start, end: index, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index = try checkEscape(at: index)
            } else if byte >= 0x80 {
                // Non-Latin text is runs of multi-byte characters: check the whole run here
                // rather than returning to the ASCII scan after every character.
                repeat {
                    switch UTF8Validation.sequence(at: index, in: base, count: count) {
                    case .valid(let length): index += length
                    case .invalid: throw invalidUTF8Error(at: index)
                    case .truncated: throw truncatedError()
                    }
                } while index < count && base[index] >= 0x80
            } else {
                throw controlCharacterError(at: index)
            }
        }
    }

    /// The index of the first `"`, `\`, control character or non-ASCII byte at or after
    /// `start`, or `count`.
    @inline(__always)
    private func nextStringSpecialByte(from start: Int) -> Int {
        var index = start
        // Keys and most values end within 16 bytes: two word tests settle them.
        if index + 16 <= count {
            let first = JSONScanner.specialByteFlags(base + index)
            if first != 0 { return index + first.trailingZeroBitCount >> 3 }
            let second = JSONScanner.specialByteFlags(base + index + 8)
            if second != 0 { return index + 8 + second.trailingZeroBitCount >> 3 }
            index += 16
            while index + 32 <= count, !JSONScanner.hasStringSpecialByte(in32At: base + index) {
                index += 32
            }
        }
        while index + 8 <= count {
            let flags = JSONScanner.specialByteFlags(base + index)
            if flags != 0 { return index + flags.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 {
                return index
            }
            index += 1
        }
        return count
    }

    /// The high bit of each byte of the word at `p` that is `"`, `\`, a control character or
    /// non-ASCII, exact for the lowest such byte: the "has zero byte" and "has byte less
    /// than" tests of S. E. Anderson's "Bit Twiddling Hacks", whose only spurious flags sit
    /// above a true one because borrows propagate upward.
    @inline(__always)
    private static func specialByteFlags(_ p: UnsafePointer<UInt8>) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let quotes = word ^ 0x2222_2222_2222_2222
        let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
        return
            (((quotes &- 0x0101_0101_0101_0101) & ~quotes)
            | ((backslashes &- 0x0101_0101_0101_0101) & ~backslashes)
            | ((word &- 0x2020_2020_2020_2020) & ~word) | word) & 0x8080_8080_8080_8080
    }

    /// Whether any of the 32 bytes at `p` is `"`, `\`, a control character or non-ASCII.
    /// Written as a branch-free loop over a fixed count so that LLVM turns it into vector
    /// compares and one mask test (Swift's `SIMD` types compile to scalar loops here).
    @inline(__always)
    static func hasStringSpecialByte(in32At p: UnsafePointer<UInt8>) -> Bool {
        var found: UInt8 = 0
        for offset in 0..<32 {
            let byte = p[offset]
            found |=
                (byte == UInt8(ascii: "\"") ? 1 : 0) | (byte == UInt8(ascii: "\\") ? 1 : 0)
                | (byte < 0x20 ? 1 : 0) | (byte >= 0x80 ? 1 : 0)
        }
        return found != 0
    }

    @inline(never)
    private func controlCharacterError(at index: Int) -> DecodeError {
        DecodeError(
            .malformedJSON, byteOffset: index,
            reason: "unescaped control character U+\(hex(UInt32(base[index]), width: 4)) in a string at byte \(index)")
    }

    @inline(never)
    func invalidUTF8Error(at index: Int) -> DecodeError {
        DecodeError(.invalidUTF8, byteOffset: index, reason: "invalid UTF-8 at byte \(index)")
    }

    /// For a non-ASCII byte where JSON allows none: the UTF-8 error if the bytes there are
    /// not UTF-8, so that such records are reported as encoding problems, not syntax.
    func encodingError(at index: Int) -> DecodeError? {
        guard index < count, base[index] >= 0x80 else { return nil }
        switch UTF8Validation.sequence(at: index, in: base, count: count) {
        case .valid: return nil
        case .invalid: return invalidUTF8Error(at: index)
        case .truncated: return truncatedError()
        }
    }

    /// Checks the escape whose backslash is at `index`; returns the index after it.
    private func checkEscape(at index: Int) throws(DecodeError) -> Int {
        guard index + 1 < count else { throw truncatedError() }
        switch base[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: index + 2)
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 7 < count else { throw truncatedError() }
                guard base[index + 6] == UInt8(ascii: "\\"), base[index + 7] == UInt8(ascii: "u"),
                    case 0xDC00...0xDFFF = try hexQuad(at: index + 8)
                else {
                    throw DecodeError(
                        .malformedJSON, byteOffset: index,
                        reason:
                            "\\u\(hex(unit, width: 4)) at byte \(index) is a high surrogate without a low surrogate after it"
                    )
                }
                return index + 12
            case 0xDC00...0xDFFF:
                throw DecodeError(
                    .malformedJSON, byteOffset: index,
                    reason:
                        "\\u\(hex(unit, width: 4)) at byte \(index) is a low surrogate without a high surrogate before it"
                )
            default:
                return index + 6
            }
        default:
            throw DecodeError(
                .malformedJSON, byteOffset: index,
                reason: "invalid escape \(describeByte(at: index + 1, prefix: "\\")) at byte \(index)")
        }
    }

    private func hexQuad(at index: Int) throws(DecodeError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard index + offset < count else { throw truncatedError() }
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw DecodeError(
                    .malformedJSON, byteOffset: index + offset,
                    reason:
                        "expected a hex digit in a \\u escape at byte \(index + offset), got \(describeByte(at: index + offset))"
                )
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The string's value. Escapes were validated by `scanString`, so decoding cannot fail,
    /// and the unescaped text is never longer than the escaped text.
    func makeString(_ token: JSONStringToken) -> String {
        let raw = UnsafeBufferPointer(start: base + token.start, count: token.byteCount)
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: token.byteCount) { output in
            var input = 0
            var written = 0
            while input < raw.count {
                let byte = raw[input]
                guard byte == UInt8(ascii: "\\") else {
                    output[written] = byte
                    written += 1
                    input += 1
                    continue
                }
                let kind = raw[input + 1]
                input += 2
                let scalar: UInt32
                switch kind {
                case UInt8(ascii: "b"): scalar = 0x08
                case UInt8(ascii: "f"): scalar = 0x0C
                case UInt8(ascii: "n"): scalar = 0x0A
                case UInt8(ascii: "r"): scalar = 0x0D
                case UInt8(ascii: "t"): scalar = 0x09
                case UInt8(ascii: "u"):
                    let unit = JSONScanner.hexValue(raw, input)
                    input += 4
                    if unit >= 0xD800, unit <= 0xDBFF {
                        let low = JSONScanner.hexValue(raw, input + 2)
                        input += 6
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = unit
                    }
                default: scalar = UInt32(kind)
                }
                written += JSONScanner.encodeUTF8(scalar, into: output, at: written)
            }
            return written
        }
    }

    private static func hexValue(_ raw: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        var value: UInt32 = 0
        for byte in raw[index..<(index + 4)] {
            let digit: UInt8 =
                byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func encodeUTF8(
        _ scalar: UInt32, into output: UnsafeMutableBufferPointer<UInt8>, at index: Int
    ) -> Int {
        switch scalar {
        case 0..<0x80:
            output[index] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[index] = UInt8(0xC0 | scalar >> 6)
            output[index + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[index] = UInt8(0xE0 | scalar >> 12)
            output[index + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[index + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[index] = UInt8(0xF0 | scalar >> 18)
            output[index + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[index + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[index + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// Whether the string's value equals `literal` (compared after unescaping when needed).
    func stringEquals(_ token: JSONStringToken, _ literal: StaticString) -> Bool {
        if token.hasEscapes {
            return makeString(token) == literal.description
        }
        return NativeJSONKey.bytesEqual(
            base + token.start, token.byteCount, literal.utf8Start, literal.utf8CodeUnitCount)
    }

    // MARK: Numbers

    /// Scans a number at the cursor with RFC 8259's grammar
    /// (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    mutating func scanNumber() throws(DecodeError) -> JSONNumberToken {
        var number = JSONNumberToken(start: position)
        var index = position
        if base[index] == UInt8(ascii: "-") {
            number.negative = true
            index += 1
        }
        guard index < count else { throw truncatedError() }
        let first = base[index]
        if first == UInt8(ascii: "0") {
            index += 1
            if index < count, base[index] &- UInt8(ascii: "0") < 10 {
                throw DecodeError(
                    .malformedJSON, byteOffset: index - 1,
                    reason: "number with a leading zero at byte \(index - 1)")
            }
        } else if first &- UInt8(ascii: "1") < 9 {
            while index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                number.appendDigit(digit, fractional: false)
                index += 1
            }
        } else {
            position = index
            throw unexpectedError(expected: "a digit")
        }
        if index < count, base[index] == UInt8(ascii: ".") {
            number.isInteger = false
            index += 1
            let digitsStart = index
            while index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                number.appendDigit(digit, fractional: true)
                index += 1
            }
            guard index > digitsStart else {
                position = index
                if index == count { throw truncatedError() }
                throw unexpectedError(expected: "a digit after the decimal point")
            }
        }
        if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
            number.isInteger = false
            index += 1
            var exponentNegative = false
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") {
                exponentNegative = base[index] == UInt8(ascii: "-")
                index += 1
            }
            let digitsStart = index
            var exponent = 0
            while index < count {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                // Saturate: any exponent this large already means overflow or zero.
                exponent = min(exponent * 10 + Int(digit), 1_000_000)
                index += 1
            }
            guard index > digitsStart else {
                position = index
                if index == count { throw truncatedError() }
                throw unexpectedError(expected: "a digit in the exponent")
            }
            number.exponent += exponentNegative ? -exponent : exponent
        }
        // A record is an object, so a number cannot be its last token: the digits were cut
        // short, and reading them as a complete (different) value would misreport the cut.
        guard index < count else { throw truncatedError() }
        number.end = index
        position = index
        return number
    }

    /// The common case of an integer field: up to 18 digits, no sign, fraction or exponent.
    /// Returns nil, leaving the cursor alone, for anything else, which `scanNumber` then
    /// parses or rejects with a precise message.
    @inline(__always)
    mutating func scanPlainNonNegativeInteger() -> Int64? {
        var index = position
        var value: Int64 = 0
        while index < count, index - position < 18 {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int64(digit)
            index += 1
        }
        let length = index - position
        guard length > 0, index < count, length == 1 || base[position] != UInt8(ascii: "0") else {
            return nil
        }
        let next = base[index]
        guard next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e"), next &- UInt8(ascii: "0") >= 10 else {
            return nil
        }
        position = index
        return value
    }

    /// The number's text, for fallback conversions and messages.
    func text(of number: JSONNumberToken) -> String {
        String(
            decoding: UnsafeBufferPointer(start: base + number.start, count: number.end - number.start), as: UTF8.self)
    }

    // MARK: Errors

    @inline(never)
    func truncatedError() -> DecodeError {
        DecodeError(
            .truncated, byteOffset: count,
            reason: "unexpected end of input at byte \(count) (truncated record?)")
    }

    func nestingError() -> DecodeError {
        DecodeError(
            .nestingTooDeep, byteOffset: position,
            reason: "containers nested deeper than \(JSONScanner.maxDepth) levels at byte \(position)")
    }

    /// An error for the byte at the cursor, which is not what the grammar allows there.
    @inline(never)
    func unexpectedError(expected: String) -> DecodeError {
        guard position < count else { return truncatedError() }
        if let encodingError = encodingError(at: position) { return encodingError }
        return DecodeError(
            .malformedJSON, byteOffset: position,
            reason: "unexpected \(describeByte(at: position)) at byte \(position), expected \(expected)")
    }

    func describeByte(at index: Int, prefix: String = "") -> String {
        let byte = base[index]
        if byte > 0x20, byte < 0x7F {
            return "'\(prefix)\(Character(Unicode.Scalar(byte)))'"
        }
        if case .valid(let length) = UTF8Validation.sequence(at: index, in: base, count: count) {
            let character = String(decoding: UnsafeBufferPointer(start: base + index, count: length), as: UTF8.self)
            return "'\(prefix)\(character)'"
        }
        return "byte 0x\(hex(UInt32(byte), width: 2))"
    }

    /// How a value reads in an error message: its JSON text (shortened), or "an object" /
    /// "an array". The cursor is on the value's first byte.
    func describeValue() -> String {
        switch base[position] {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        default: break
        }
        var probe = self
        let end: Int
        do {
            try probe.skipValue(depth: JSONScanner.maxDepth)
            end = probe.position
        } catch {
            end = min(count, position + 40)
        }
        return excerpt(from: position, to: end)
    }

    /// The bytes `from..<to` as text, cut to at most 60 bytes on a character boundary.
    func excerpt(from start: Int, to end: Int) -> String {
        let limit = 60
        guard end - start > limit else {
            return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }
        var cut = start + limit
        while cut > start, base[cut] & 0xC0 == 0x80 { cut -= 1 }
        let head = String(decoding: UnsafeBufferPointer(start: base + start, count: cut - start), as: UTF8.self)
        return head + "…"
    }
}

func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
