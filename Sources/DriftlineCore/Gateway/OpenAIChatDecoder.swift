/// Decodes an OpenAI Chat Completions response as a gateway or client logs it, wrapped with
/// the timing the response object itself does not carry, into an `LLMEvent`.
///
/// A `chat.completion` object has one clock reading, `created`: whole seconds, taken by
/// OpenAI when the completion was created, so it gives neither the request's start, nor the
/// first token, nor the end, and latency cannot be derived from it. The record is therefore a
/// wrapper (README, "Gateway logs"):
///
/// ```json
/// {"start":"2026-11-25T12:00:00.120Z","first_token":"2026-11-25T12:00:00.410Z","end":"2026-11-25T12:00:01.880Z",
///  "request":{"model":"gpt-4o","messages":[…],"user":"u_8841"},
///  "response":{"id":"chatcmpl-…","object":"chat.completion","created":1764072000,"model":"gpt-4o-2024-08-06",…},
///  "app":"support-bot","environment":"prod","labels":{"region":"eu-west-1"}}
/// ```
///
/// Times are written as in the native request log (RFC 3339 or epoch milliseconds). A bare
/// `chat.completion` object, without `start` and `end`, is rejected with a reason saying so
/// rather than stored with a made-up latency. `response` may also be OpenAI's error body
/// (`{"error":{…}}`), which makes the event an error.
public struct OpenAIChatDecoder: RecordDecoder {
    public var maxRecordBytes: Int
    /// When false, the request's messages and the response text are validated but left nil.
    public var keepText: Bool

    public init(maxRecordBytes: Int = 1 << 20, keepText: Bool = true) {
        self.maxRecordBytes = maxRecordBytes
        self.keepText = keepText
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> LLMEvent {
        let keepText = self.keepText
        return try GatewayJSONReader.read(bytes, maxRecordBytes: maxRecordBytes) {
            (reader) throws(DecodeError) in
            var record = OpenAIChatRecord()
            try record.read(&reader, keepText: keepText)
            return try record.event()
        }
    }
}

/// One wrapper record as read.
struct OpenAIChatRecord {
    var start: EventTime?
    var firstToken: EventTime?
    var end: EventTime?
    var traceID: String?
    var spanID: String?
    var provider: String?
    var app: String?
    var route: String?
    var tenant: String?
    var user: String?
    var team: String?
    var environment: String?
    var labels: [String: String] = [:]
    var httpStatus: Int64?
    var requestModel: String?
    var requestUser: String?
    var prompt: String?
    var response: ChatCompletionObject?
    /// Whether the record looks like a bare `chat.completion` (for a precise message).
    var sawCompletionField = false

    mutating func read(_ reader: inout GatewayJSONReader, keepText: Bool) throws(DecodeError) {
        guard try reader.scanner.beginObject() else { return }
        var seen = SeenKeys()
        repeat {
            let (key, offset) = try reader.nextKey()
            guard OpenAIChatRecord.keys.contains(key) else {
                if key == "choices" || key == "object" || key == "created" { sawCompletionField = true }
                try reader.skip(depth: 2)
                continue
            }
            guard seen.insert(key) else { throw reader.duplicateKey(key, at: offset) }
            // Errors below a member (bad UTF-8 in a string, say) name the member they are in.
            do throws(DecodeError) {
                switch key {
                case "start": start = try reader.timestamp(key)
                case "first_token": firstToken = try reader.timestamp(key)
                case "end": end = try reader.timestamp(key)
                case "trace_id": traceID = try reader.nonEmptyString(key)
                case "span_id": spanID = try reader.nonEmptyString(key)
                case "provider": provider = try reader.nonEmptyString(key)
                case "app": app = try reader.nonEmptyString(key)
                case "route": route = try reader.nonEmptyString(key)
                case "tenant": tenant = try reader.nonEmptyString(key)
                case "user": user = try reader.nonEmptyString(key)
                case "team": team = try reader.nonEmptyString(key)
                case "environment": environment = try reader.nonEmptyString(key)
                case "labels": labels = try labelsObject(&reader)
                case "http_status":
                    let valueOffset = reader.scanner.position
                    guard let status = try reader.count(key) else { break }
                    guard (100...599).contains(status) else {
                        throw DecodeError(
                            .invalidValue, field: key, byteOffset: valueOffset,
                            reason: "http_status must be an integer in 100...599, got \(status)")
                    }
                    httpStatus = status
                case "request": try request(&reader, keepText: keepText)
                default: response = try reader.chatCompletion(key, depth: 2, keepText: keepText)
                }
            } catch {
                throw error.inField(key)
            }
        } while try reader.endMember()
    }

    static let keys: Set<String> = [
        "start", "first_token", "end", "trace_id", "span_id", "provider", "app", "route", "tenant", "user", "team",
        "environment", "labels", "http_status", "request", "response",
    ]

    private func labelsObject(_ reader: inout GatewayJSONReader) throws(DecodeError) -> [String: String] {
        guard let hasMembers = try reader.beginObject("labels"), hasMembers else { return [:] }
        var labels: [String: String] = [:]
        repeat {
            let (key, offset) = try reader.nextKey()
            let field = "labels.\(key)"
            guard reader.atString, let value = try reader.string(field) else {
                throw reader.wrongType(field, "a string")
            }
            guard labels.updateValue(value, forKey: key) == nil else { throw reader.duplicateKey(field, at: offset) }
        } while try reader.endMember()
        return labels
    }

    private mutating func request(_ reader: inout GatewayJSONReader, keepText: Bool) throws(DecodeError) {
        guard let hasMembers = try reader.beginObject("request"), hasMembers else { return }
        repeat {
            let (key, _) = try reader.nextKey()
            switch key {
            case "model": requestModel = try reader.nonEmptyString("request.model")
            case "user": requestUser = try reader.nonEmptyString("request.user")
            case "messages": prompt = try reader.verbatim("request.messages", depth: 3, keep: keepText)
            default: try reader.skip(depth: 3)
            }
        } while try reader.endMember()
    }

    func event() throws(DecodeError) -> LLMEvent {
        guard let start, let end else {
            let missing = start == nil ? "start" : "end"
            let hint =
                sawCompletionField
                ? "; this looks like a bare chat.completion object, which carries no request timing (created is whole seconds): wrap it as {\"start\":…,\"end\":…,\"response\":{…}}"
                : ""
            throw DecodeError(.missingField, field: missing, reason: "\(missing) is required\(hint)")
        }
        guard let response else {
            throw DecodeError(
                .missingField, field: "response",
                reason: "response is required (the chat.completion object or OpenAI's error body)")
        }
        guard let model = requestModel ?? response.model else {
            throw DecodeError(
                .missingField, field: "request.model", reason: "request.model or response.model is required")
        }
        guard end >= start else {
            throw DecodeError(.invalidValue, field: "end", reason: "end (\(end)) is before start (\(start))")
        }
        if let firstToken, firstToken < start || firstToken > end {
            throw DecodeError(
                .invalidValue, field: "first_token",
                reason: "first_token (\(firstToken)) is outside [start, end] (\(start), \(end))")
        }
        let failed = response.isError || (httpStatus ?? 200) >= 400
        let tokens = try (response.usage ?? ChatCompletionUsage()).tokenCounts(path: "response.usage")
        let event = LLMEvent(
            requestID: response.id, traceID: traceID, spanID: spanID,
            start: start, firstToken: firstToken, end: end,
            model: model, provider: provider ?? "openai",
            dimensions: EventDimensions(
                app: app ?? "", route: route ?? "", tenant: tenant ?? "", user: user ?? requestUser ?? "",
                team: team ?? "", environment: environment ?? "", modelVersion: response.model ?? "", labels: labels),
            tokens: tokens, status: failed ? .error : .ok,
            errorType: failed ? response.errorType ?? httpStatus.map { "http_\($0)" } : nil,
            httpStatus: httpStatus.map { Int($0) },
            finishReason: failed ? nil : response.finishReason,
            prompt: prompt,
            response: failed ? nil : response.content)
        if let violation = EventLimits.violation(in: event) { throw violation.error(naming: name(of: violation.field)) }
        return event
    }

    /// Where in the record an event field came from, for the error of a limit it breaks.
    func name(of field: EventField) -> String {
        switch field {
        case .requestID: "response.id"
        case .dimension(.model): requestModel != nil ? "request.model" : "response.model"
        case .dimension(.user): user != nil ? "user" : "request.user"
        case .dimension(.modelVersion): "response.model"
        case .errorType: "response.error"
        case .finishReason: "response.choices[0].finish_reason"
        case .prompt: "request.messages"
        case .response: "response.choices[0].message.content"
        case .inputTokens: "response.usage.prompt_tokens"
        case .outputTokens: "response.usage.completion_tokens"
        case .cachedInputTokens: "response.usage.prompt_tokens_details.cached_tokens"
        case .cacheWriteTokens, .cacheWrite1hTokens: "response.usage.cache_creation_input_tokens"
        case .reasoningTokens: "response.usage.completion_tokens_details.reasoning_tokens"
        default: field.nativeName
        }
    }
}
