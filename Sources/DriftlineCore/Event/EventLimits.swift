/// The limits every decoder enforces on the events it produces (docs/limits.md), so that a
/// record PostgreSQL could not store, or that could make a counter overflow, becomes a dead
/// letter that names the field instead of a flush that fails forever.
///
/// Every decoder (native JSON, LiteLLM, OpenAI chat, the OTLP GenAI span mapper that both the
/// wire reader and the SwiftProtobuf path feed) calls `violation(in:)` on each event it built,
/// and only the naming of the field differs from format to format, so the rule cannot.
///
/// The checks are byte scans of the UTF-8 every `String` already holds (valid by construction:
/// the decoders validate UTF-8 and reject lone surrogate escapes before a string is made).
public enum EventLimits {
    /// The largest token count of any kind in one record: 10⁹, a hundred times the largest
    /// context window offered today (10⁷ tokens). It keeps `Int64` sums far from overflow —
    /// 9.2 × 10⁹ records at the limit before a sum reaches `Int64.max` — and the cost of one
    /// record (at most 10⁹ tokens × the dearest price) far inside `Money`'s range; window sums
    /// in memory and in SQL must still saturate, as a hostile producer can send that many.
    public static let maxTokenCount: Int64 = 1_000_000_000

    /// The longest value of one dimension (model, provider, app, route, tenant, user, team,
    /// environment, model version) or of a string stored as a key (error type, finish reason,
    /// feedback label, OTLP operation), in UTF-8 bytes.
    public static let maxDimensionBytes = 256
    /// The longest label key, in UTF-8 bytes.
    public static let maxLabelKeyBytes = 64
    /// The longest label value, in UTF-8 bytes.
    public static let maxLabelValueBytes = 256
    /// The most labels one record may carry.
    public static let maxLabelCount = 32
    /// The most UTF-8 bytes the dimension values, label keys and label values of one record may
    /// hold together. They all take part in the primary keys of `dl_windows` and `dl_costs`,
    /// and a B-tree index entry cannot exceed 2704 bytes (a third of an 8 KB page); 2048 bytes
    /// of text leave room for the columns' and jsonb's own headers (about 350 bytes at 32 labels).
    public static let maxKeyBytes = 2048
    /// The longest request, trace or span id, in UTF-8 bytes.
    public static let maxIDBytes = 128

    /// The first limit `event` breaks, or nil when it keeps them all.
    public static func violation(in event: LLMEvent) -> LimitViolation? {
        if let violation = tokenViolation(in: event.tokens) { return violation }
        // The ids are checked one by one rather than looped over as (field, value) pairs, an
        // array that would be allocated on every event; `Dimension.allCases` is a constant.
        if let violation = id(.requestID, event.requestID) { return violation }
        if let violation = id(.traceID, event.traceID) { return violation }
        if let violation = id(.spanID, event.spanID) { return violation }

        var keyBytes = 0
        for dimension in Dimension.allCases {
            let value = dimension.value(of: event)
            if let violation = Self.dimension(.dimension(dimension), value) { return violation }
            keyBytes += value.utf8.count
        }

        let labels = event.dimensions.labels
        if labels.count > maxLabelCount {
            return LimitViolation(
                .labels, code: .tooManyLabels, detail: "has \(labels.count) labels; the limit is \(maxLabelCount)")
        }
        for (key, value) in labels {
            if let problem = keyProblem(key, limit: maxLabelKeyBytes) {
                return LimitViolation(.labelKey(key), problem, limit: maxLabelKeyBytes)
            }
            if let problem = keyProblem(value, limit: maxLabelValueBytes) {
                return LimitViolation(.label(key), problem, limit: maxLabelValueBytes)
            }
            keyBytes += key.utf8.count + value.utf8.count
        }
        if keyBytes > maxKeyBytes {
            return LimitViolation(
                .dimensions, code: .keyTooLong,
                detail:
                    "(model, provider, the other dimensions and the labels together) are \(keyBytes) bytes; "
                    + "the limit is \(maxKeyBytes)")
        }

        if let value = event.errorType, let violation = dimension(.errorType, value) { return violation }
        if let value = event.finishReason, let violation = dimension(.finishReason, value) { return violation }
        if let value = event.feedback?.label, let violation = dimension(.feedbackLabel, value) { return violation }

        if let text = event.prompt, let problem = textProblem(text) { return LimitViolation(.prompt, problem) }
        if let text = event.response, let problem = textProblem(text) { return LimitViolation(.response, problem) }
        if let passages = event.context {
            for (index, text) in passages.enumerated() {
                if let problem = textProblem(text) { return LimitViolation(.context(index), problem) }
            }
        }
        if let text = event.feedback?.comment, let problem = textProblem(text) {
            return LimitViolation(.feedbackComment, problem)
        }
        return nil
    }

    /// The first limit the counted fields of a span that is not a model call break, or nil.
    public static func violation(in summary: OTLPSpanSummary) -> LimitViolation? {
        if let violation = dimension(.operation, summary.operation) { return violation }
        if let violation = dimension(.dimension(.app), summary.app) { return violation }
        return dimension(.dimension(.environment), summary.environment)
    }

    /// The parts are looked at before the totals that include them, so that a part over the
    /// limit is named rather than the total it made too large.
    static func tokenViolation(in tokens: TokenCounts) -> LimitViolation? {
        if let violation = count(.cachedInputTokens, tokens.cachedInput) { return violation }
        if let violation = count(.cacheWrite1hTokens, tokens.cacheWrite1h) { return violation }
        if let violation = count(.cacheWriteTokens, tokens.cacheWrite) { return violation }
        if let violation = count(.reasoningTokens, tokens.reasoning) { return violation }
        if let violation = count(.inputTokens, tokens.input) { return violation }
        return count(.outputTokens, tokens.output)
    }

    @inline(__always)
    private static func count(_ field: EventField, _ value: Int64) -> LimitViolation? {
        guard value > maxTokenCount else { return nil }
        return LimitViolation(
            field, code: .tokenCountTooLarge, detail: "is \(value); the limit is \(maxTokenCount) tokens per record")
    }

    @inline(__always)
    private static func id(_ field: EventField, _ value: String?) -> LimitViolation? {
        guard let value, let problem = keyProblem(value, limit: maxIDBytes) else { return nil }
        return LimitViolation(field, problem, limit: maxIDBytes)
    }

    @inline(__always)
    private static func dimension(_ field: EventField, _ value: String) -> LimitViolation? {
        guard let problem = keyProblem(value, limit: maxDimensionBytes) else { return nil }
        return LimitViolation(field, problem, limit: maxDimensionBytes)
    }

    // MARK: Byte scans

    /// What is wrong with a string's bytes.
    enum Problem: Equatable {
        case tooLong(bytes: Int)
        /// A forbidden scalar and the byte offset of its first byte in the value.
        case forbidden(scalar: UInt32, byteOffset: Int)
    }

    /// A key-like value (dimension, label, id): at most `limit` bytes, and no control
    /// character — C0 (U+0000–U+001F, NUL included), DEL (U+007F) or C1 (U+0080–U+009F) —
    /// which would break keys, logs and dashboards, and NUL, which PostgreSQL text cannot hold.
    @inline(__always)
    static func keyProblem(_ value: String, limit: Int) -> Problem? {
        let count = value.utf8.count
        if count > limit { return .tooLong(bytes: count) }
        if count == 0 { return nil }
        if let found = value.utf8.withContiguousStorageIfAvailable({ firstControlCharacter(in: $0) }) {
            return found
        }
        return Array(value.utf8).withUnsafeBufferPointer { firstControlCharacter(in: $0) }
    }

    /// Text (prompt, response, context, comments): any valid Unicode but NUL, which PostgreSQL
    /// text cannot hold.
    static func textProblem(_ value: String) -> Problem? {
        if let found = value.utf8.withContiguousStorageIfAvailable({ firstNUL(in: $0) }) { return found }
        return Array(value.utf8).withUnsafeBufferPointer { firstNUL(in: $0) }
    }

    /// A branch-free pass that LLVM vectorises settles the common case; only a value with a
    /// control byte, DEL or the lead byte 0xC2 (U+0080–U+00BF) is looked at byte by byte.
    @inline(__always)
    static func firstControlCharacter(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        var suspect: UInt8 = 0
        for byte in bytes {
            suspect |= (byte < 0x20 ? 1 : 0) | (byte == 0x7F ? 1 : 0) | (byte == 0xC2 ? 1 : 0)
        }
        guard suspect != 0 else { return nil }
        return locateControlCharacter(in: bytes)
    }

    @inline(never)
    static func locateControlCharacter(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        for index in bytes.indices {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return .forbidden(scalar: UInt32(byte), byteOffset: index) }
            // U+0080–U+009F are 0xC2 0x80–0xC2 0x9F in UTF-8.
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] < 0xA0 {
                return .forbidden(scalar: UInt32(bytes[index + 1]), byteOffset: index)
            }
        }
        return nil
    }

    @inline(__always)
    static func firstNUL(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        var found: UInt8 = 0
        for byte in bytes { found |= byte == 0 ? 1 : 0 }
        guard found != 0, let index = bytes.firstIndex(of: 0) else { return nil }
        return .forbidden(scalar: 0, byteOffset: index)
    }

    /// A value as it may appear in a message: quoted, at most 40 scalars, with control
    /// characters, quotes and backslashes escaped, so the message itself never carries a NUL
    /// or a line break into a log or the dead-letter table.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        var written = 0
        for scalar in value.unicodeScalars {
            if written == 40 {
                out += "…"
                break
            }
            switch scalar.value {
            case 0..<0x20, 0x7F...0x9F: out += "\\u{\(hex(scalar.value, width: 4))}"
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
            written += 1
        }
        return out + "\""
    }
}

/// A field of an `LLMEvent` (or of an OTLP span summary), as a limit names it; each format
/// translates it to the field's path in its own records.
public enum EventField: Sendable, Hashable {
    case requestID, traceID, spanID
    /// The value of a dimension.
    case dimension(Dimension)
    /// The value of the label with this key.
    case label(String)
    /// The key of a label itself.
    case labelKey(String)
    /// The label set as a whole (its size).
    case labels
    /// The dimension values and labels together.
    case dimensions
    case errorType, finishReason, operation
    case prompt, response
    case context(Int)
    case feedbackLabel, feedbackComment
    case inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens

    /// The field's path in a native JSON request log, which is also how the event's own fields
    /// are spelled in messages: `tenant`, `labels["team"]`, `tokens.input`, `context[2]`.
    public var nativeName: String {
        switch self {
        case .requestID: "request_id"
        case .traceID: "trace_id"
        case .spanID: "span_id"
        case .dimension(let dimension): dimension.rawValue
        case .label(let key): "labels[\(EventLimits.quoted(key))]"
        case .labelKey(let key): "labels key \(EventLimits.quoted(key))"
        case .labels: "labels"
        case .dimensions: "dimensions"
        case .errorType: "error_type"
        case .finishReason: "finish_reason"
        case .operation: "operation"
        case .prompt: "prompt"
        case .response: "response"
        case .context(let index): "context[\(index)]"
        case .feedbackLabel: "feedback.label"
        case .feedbackComment: "feedback.comment"
        case .inputTokens: "tokens.input"
        case .outputTokens: "tokens.output"
        case .cachedInputTokens: "tokens.cached_input"
        case .cacheWriteTokens: "tokens.cache_write"
        case .cacheWrite1hTokens: "tokens.cache_write_1h"
        case .reasoningTokens: "tokens.reasoning"
        }
    }
}

/// A limit an event breaks: which field, the error code and the sentence after the field's name
/// (`is 3000 bytes; the limit is 256`).
public struct LimitViolation: Sendable, Hashable {
    public var field: EventField
    public var code: DecodeError.Code
    public var detail: String

    init(_ field: EventField, code: DecodeError.Code, detail: String) {
        self.field = field
        self.code = code
        self.detail = detail
    }

    init(_ field: EventField, _ problem: EventLimits.Problem, limit: Int) {
        switch problem {
        case .tooLong(let bytes):
            self.init(field, code: .valueTooLong, detail: "is \(bytes) bytes; the limit is \(limit)")
        case .forbidden(let scalar, let offset):
            self.init(
                field, code: .controlCharacter,
                detail:
                    "contains the control character U+\(hex(scalar, width: 4)) at byte \(offset); "
                    + "keys, ids and dimension values may not hold control characters")
        }
    }

    /// A text field's problem: only NUL is refused there.
    init(_ field: EventField, _ problem: EventLimits.Problem) {
        guard case .forbidden(let scalar, let offset) = problem else {
            self.init(field, problem, limit: 0)
            return
        }
        self.init(
            field, code: .controlCharacter,
            detail: "contains U+\(hex(scalar, width: 4)) (NUL) at byte \(offset), which PostgreSQL text cannot store")
    }

    /// The decode error, with the field named as the record's format names it.
    public func error(naming name: String) -> DecodeError {
        DecodeError(code, field: name, reason: "\(name) \(detail)")
    }
}
