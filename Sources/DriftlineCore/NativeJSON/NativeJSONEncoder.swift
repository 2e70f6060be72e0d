/// Writes `LLMEvent`s in the native JSON request-log format, compactly and in a fixed key
/// order, such that `NativeJSONDecoder` reads back an equal event.
///
/// Defaults are omitted (empty dimension strings, empty labels, nil optionals); `tokens`
/// and `status` are always written. JSON has no NaN or infinity: a non-finite
/// `feedback.score` is written as `null` (read back as no score) and a non-finite embedding
/// element as `null`, which the decoder rejects. Events with either do not round-trip.
public struct NativeJSONEncoder: Sendable {
    public enum TimestampFormat: Sendable, Hashable {
        /// `"2026-11-25T12:00:00.123456Z"`: always six fractional digits, always UTC.
        case rfc3339
        /// `1764072000123` or `1764072000123.456`: milliseconds since the epoch, with the
        /// microseconds as a three-digit fraction when they are not zero.
        case epochMilliseconds
    }

    public var timestampFormat: TimestampFormat

    public init(timestampFormat: TimestampFormat = .rfc3339) {
        self.timestampFormat = timestampFormat
    }

    public func encode(_ event: LLMEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        encode(event, appendingTo: &bytes)
        return bytes
    }

    public func encode(_ event: LLMEvent, appendingTo bytes: inout [UInt8]) {
        var writer = Writer(bytes: bytes, timestampFormat: timestampFormat)
        // Release the caller's buffer so the writer appends in place without a copy.
        bytes = []
        // Grow geometrically: an exact reservation per record would make appending many
        // records to one buffer quadratic.
        let needed = writer.bytes.count + Writer.estimatedSize(of: event)
        if writer.bytes.capacity < needed {
            writer.bytes.reserveCapacity(max(needed, writer.bytes.capacity * 2))
        }
        writer.write(event)
        bytes = writer.bytes
    }

    private struct Writer {
        var bytes: [UInt8]
        let timestampFormat: TimestampFormat
        var needsComma = false

        /// Enough for most events without escapes, so appends rarely reallocate.
        static func estimatedSize(of event: LLMEvent) -> Int {
            var size = 512
            size += event.prompt?.utf8.count ?? 0
            size += event.response?.utf8.count ?? 0
            for passage in event.context ?? [] { size += passage.utf8.count + 3 }
            size += (event.embedding?.count ?? 0) * 16
            return size
        }

        mutating func write(_ event: LLMEvent) {
            bytes.append(UInt8(ascii: "{"))
            if let value = event.requestID { key("\"request_id\":"); string(value) }
            if let value = event.traceID { key("\"trace_id\":"); string(value) }
            if let value = event.spanID { key("\"span_id\":"); string(value) }
            key("\"start\":"); time(event.start)
            if let value = event.firstToken { key("\"first_token\":"); time(value) }
            key("\"end\":"); time(event.end)
            key("\"model\":"); string(event.model)
            dimension("\"provider\":", event.provider)
            let dimensions = event.dimensions
            dimension("\"app\":", dimensions.app)
            dimension("\"route\":", dimensions.route)
            dimension("\"tenant\":", dimensions.tenant)
            dimension("\"user\":", dimensions.user)
            dimension("\"team\":", dimensions.team)
            dimension("\"environment\":", dimensions.environment)
            dimension("\"model_version\":", dimensions.modelVersion)
            if !dimensions.labels.isEmpty {
                key("\"labels\":")
                bytes.append(UInt8(ascii: "{"))
                // Sorted, so equal events always encode to equal bytes.
                for (index, name) in dimensions.labels.keys.sorted().enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    string(name)
                    bytes.append(UInt8(ascii: ":"))
                    string(dimensions.labels[name] ?? "")
                }
                bytes.append(UInt8(ascii: "}"))
            }
            let tokens = event.tokens
            key("\"tokens\":")
            literal("{\"input\":")
            integer(tokens.input)
            literal(",\"output\":")
            integer(tokens.output)
            literal(",\"cached_input\":")
            integer(tokens.cachedInput)
            literal(",\"cache_write\":")
            integer(tokens.cacheWrite)
            literal(",\"reasoning\":")
            integer(tokens.reasoning)
            bytes.append(UInt8(ascii: "}"))
            key("\"status\":")
            literal(event.status == .ok ? "\"ok\"" : "\"error\"")
            if let value = event.errorType { key("\"error_type\":"); string(value) }
            if let value = event.httpStatus { key("\"http_status\":"); integer(Int64(value)) }
            if let value = event.finishReason { key("\"finish_reason\":"); string(value) }
            if let feedback = event.feedback {
                key("\"feedback\":")
                bytes.append(UInt8(ascii: "{"))
                var first = true
                if let score = feedback.score {
                    literal("\"score\":")
                    finite(score.isFinite ? score.description : nil)
                    first = false
                }
                if let label = feedback.label {
                    literal(first ? "\"label\":" : ",\"label\":")
                    string(label)
                    first = false
                }
                if let comment = feedback.comment {
                    literal(first ? "\"comment\":" : ",\"comment\":")
                    string(comment)
                }
                bytes.append(UInt8(ascii: "}"))
            }
            if let value = event.logprobMean, value.isFinite { key("\"logprob_mean\":"); finite(value.description) }
            if let value = event.prompt { key("\"prompt\":"); string(value) }
            if let value = event.response { key("\"response\":"); string(value) }
            if let passages = event.context {
                key("\"context\":")
                bytes.append(UInt8(ascii: "["))
                for (index, passage) in passages.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    string(passage)
                }
                bytes.append(UInt8(ascii: "]"))
            }
            if let values = event.embedding {
                key("\"embedding\":")
                bytes.append(UInt8(ascii: "["))
                for (index, value) in values.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    // `description` is the shortest text that reads back to the same Float.
                    finite(value.isFinite ? value.description : nil)
                }
                bytes.append(UInt8(ascii: "]"))
            }
            bytes.append(UInt8(ascii: "}"))
        }

        /// Writes `"name":` (given with its quotes and colon), after a comma unless first.
        mutating func key(_ quotedNameAndColon: StaticString) {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            needsComma = true
            literal(quotedNameAndColon)
        }

        mutating func dimension(_ quotedNameAndColon: StaticString, _ value: String) {
            guard !value.isEmpty else { return }
            key(quotedNameAndColon)
            string(value)
        }

        mutating func literal(_ text: StaticString) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func finite(_ text: String?) {
            guard let text else {
                literal("null")
                return
            }
            bytes.append(contentsOf: text.utf8)
        }

        mutating func integer(_ value: Int64) {
            // Digits are produced right to left into a fixed buffer and appended once.
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var magnitude = value.magnitude
                var index = buffer.count
                repeat {
                    index -= 1
                    buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                if value < 0 {
                    index -= 1
                    buffer[index] = UInt8(ascii: "-")
                }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
            }
        }

        mutating func time(_ time: EventTime) {
            switch timestampFormat {
            case .rfc3339:
                bytes.append(UInt8(ascii: "\""))
                if time.appendRFC3339(to: &bytes) {
                    bytes.append(UInt8(ascii: "\""))
                    return
                }
                // No four-digit year: fall back to milliseconds, which the decoder then
                // rejects as out of range rather than misreading.
                bytes.removeLast()
                milliseconds(time)
            case .epochMilliseconds:
                milliseconds(time)
            }
        }

        mutating func milliseconds(_ time: EventTime) {
            let micros = time.microsecondsSinceEpoch
            if micros < 0 { bytes.append(UInt8(ascii: "-")) }
            let magnitude = micros.magnitude
            integer(Int64(magnitude / 1000))
            let fraction = magnitude % 1000
            guard fraction != 0 else { return }
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        }

        /// A JSON string: `"` and `\` escaped, control characters as their short escape or
        /// `\u00XX`, everything else copied as UTF-8 in runs found a word at a time.
        mutating func string(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            var value = value
            value.withUTF8 { utf8 in
                guard let base = utf8.baseAddress else { return }
                let count = utf8.count
                var runStart = 0
                var index = 0
                while true {
                    index = Writer.nextByteToEscape(base, from: index, count: count)
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                    guard index < count else { break }
                    escape(base[index])
                    index += 1
                    runStart = index
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func escape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""): literal("\\\"")
            case UInt8(ascii: "\\"): literal("\\\\")
            case 0x08: literal("\\b")
            case 0x0C: literal("\\f")
            case 0x0A: literal("\\n")
            case 0x0D: literal("\\r")
            case 0x09: literal("\\t")
            default:
                let hexDigits: StaticString = "0123456789abcdef"
                literal("\\u00")
                bytes.append(hexDigits.utf8Start[Int(byte >> 4)])
                bytes.append(hexDigits.utf8Start[Int(byte & 0xF)])
            }
        }

        /// The index of the first `"`, `\` or control character at or after `start`, or
        /// `count`; the same word test as the decoder's string scan, without the non-ASCII flag.
        static func nextByteToEscape(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
            var index = start
            while index + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let quotes = word ^ 0x2222_2222_2222_2222
                let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let flags =
                    (((quotes &- 0x0101_0101_0101_0101) & ~quotes)
                        | ((backslashes &- 0x0101_0101_0101_0101) & ~backslashes)
                        | ((word &- 0x2020_2020_2020_2020) & ~word)) & 0x8080_8080_8080_8080
                if flags != 0 { return index + flags.trailingZeroBitCount >> 3 }
                index += 8
            }
            while index < count {
                let byte = base[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
                index += 1
            }
            return count
        }
    }
}
