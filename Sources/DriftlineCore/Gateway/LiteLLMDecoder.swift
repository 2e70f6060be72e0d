/// Decodes one LiteLLM `StandardLoggingPayload` (the object LiteLLM hands its logging
/// integrations as `kwargs["standard_logging_object"]`, and that its proxy's loggers send to
/// Kafka, S3, GCS…) into an `LLMEvent`. The README's "Gateway logs" section documents every
/// mapped field with an example; the payload's other fields (costs, price tables, guardrail
/// and routing detail, tracebacks) are syntax-checked and skipped.
///
/// Usage: LiteLLM normalises every provider's usage to OpenAI's shape before logging it —
/// for Anthropic, `prompt_tokens` is `input_tokens + cache_read_input_tokens +
/// cache_creation_input_tokens`, with the read part in `prompt_tokens_details.cached_tokens`
/// and the write part in `cache_creation_input_tokens` — so the payload's totals go through
/// `ProviderUsage.openAI` with the details of the raw usage object (`response.usage`, else
/// `metadata.usage_object`), and every token is counted once.
public struct LiteLLMDecoder: RecordDecoder {
    public var maxRecordBytes: Int
    /// When false, `messages` and the response text are validated but left nil.
    public var keepText: Bool

    public init(maxRecordBytes: Int = 1 << 20, keepText: Bool = true) {
        self.maxRecordBytes = maxRecordBytes
        self.keepText = keepText
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> LLMEvent {
        let keepText = self.keepText
        return try GatewayJSONReader.read(bytes, maxRecordBytes: maxRecordBytes) {
            (reader) throws(DecodeError) in
            var payload = LiteLLMPayload()
            try payload.read(&reader, keepText: keepText)
            return try payload.event()
        }
    }
}

/// The fields of one payload as read, before the cross-field rules make an event of them.
struct LiteLLMPayload {
    var id: String?
    var traceID: String?
    var sessionID: String?
    var callType: String?
    var stream: Bool?
    var status: LLMEvent.Status?
    var provider: String?
    var promptTokens: Int64?
    var completionTokens: Int64?
    var start: EventTime?
    var completionStart: EventTime?
    var end: EventTime?
    var model: String?
    var modelGroup: String?
    var cacheHit: Bool?
    var tags: [String] = []
    var endUser: String?
    var prompt: String?
    var response: ChatCompletionObject?
    var responseText: String?
    var metadata = LiteLLMMetadata()
    var errorClass: String?
    var normalizedError: String?
    var errorCode: Int64?

    mutating func read(_ reader: inout GatewayJSONReader, keepText: Bool) throws(DecodeError) {
        guard try reader.scanner.beginObject() else { return }
        var seen = SeenKeys()
        repeat {
            let (key, offset) = try reader.nextKey()
            guard LiteLLMPayload.keys.contains(key) else {
                try reader.skip(depth: 2)
                continue
            }
            guard seen.insert(key) else { throw reader.duplicateKey(key, at: offset) }
            // Errors below a member (bad UTF-8 in a string, say) name the member they are in.
            do throws(DecodeError) {
                switch key {
                case "id": id = try reader.nonEmptyString(key)
                case "trace_id": traceID = try reader.nonEmptyString(key)
                case "session_id": sessionID = try reader.nonEmptyString(key)
                case "call_type": callType = try reader.nonEmptyString(key)
                case "stream": stream = try reader.bool(key)
                case "status": status = try statusValue(&reader)
                case "custom_llm_provider": provider = try reader.nonEmptyString(key)
                case "prompt_tokens": promptTokens = try reader.count(key)
                case "completion_tokens": completionTokens = try reader.count(key)
                case "startTime": start = try reader.epochSeconds(key)
                case "completionStartTime": completionStart = try reader.epochSeconds(key)
                case "endTime": end = try reader.epochSeconds(key)
                case "model": model = try reader.nonEmptyString(key)
                case "model_group": modelGroup = try reader.nonEmptyString(key)
                case "cache_hit": cacheHit = try reader.bool(key)
                case "request_tags": tags = try requestTags(&reader)
                case "end_user": endUser = try reader.nonEmptyString(key)
                case "messages":
                    prompt =
                        try reader.atString
                        ? reader.text(key, keep: keepText) : reader.verbatim(key, depth: 2, keep: keepText)
                case "response":
                    if reader.atObject {
                        response = try reader.chatCompletion(key, depth: 2, keepText: keepText)
                    } else if reader.atString || !reader.atArray {
                        responseText = try reader.text(key, keep: keepText)
                    } else {
                        responseText = try reader.verbatim(key, depth: 2, keep: keepText)
                    }
                case "metadata": try metadata.read(&reader)
                default: try errorInformation(&reader)
                }
            } catch {
                throw error.inField(key)
            }
        } while try reader.endMember()
    }

    static let keys: Set<String> = [
        "id", "trace_id", "session_id", "call_type", "stream", "status", "custom_llm_provider", "prompt_tokens",
        "completion_tokens", "startTime", "completionStartTime", "endTime", "model", "model_group", "cache_hit",
        "request_tags", "end_user", "messages", "response", "metadata", "error_information",
    ]

    private func statusValue(_ reader: inout GatewayJSONReader) throws(DecodeError) -> LLMEvent.Status {
        let offset = reader.scanner.position
        let value = try reader.string("status")
        switch value {
        case .some("success"): return .ok
        case .some("failure"): return .error
        case let other:
            throw DecodeError(
                .invalidValue, field: "status", byteOffset: offset,
                reason: "status must be \"success\" or \"failure\", got \(other.map { "\"\($0)\"" } ?? "null")")
        }
    }

    private func requestTags(_ reader: inout GatewayJSONReader) throws(DecodeError) -> [String] {
        guard let hasElements = try reader.beginArray("request_tags"), hasElements else { return [] }
        var tags: [String] = []
        repeat {
            let field = "request_tags[\(tags.count)]"
            guard reader.atString, let tag = try reader.string(field) else {
                throw reader.wrongType(field, "a string")
            }
            tags.append(tag)
        } while try reader.endElement()
        return tags
    }

    private mutating func errorInformation(_ reader: inout GatewayJSONReader) throws(DecodeError) {
        guard let hasMembers = try reader.beginObject("error_information"), hasMembers else { return }
        repeat {
            let (key, _) = try reader.nextKey()
            let field = "error_information.\(key)"
            switch key {
            case "error_class": errorClass = try reader.nonEmptyString(field)
            case "normalized_error": normalizedError = try reader.nonEmptyString(field)
            case "error_code": errorCode = try reader.looseInteger(field)
            default: try reader.skip(depth: 3)
            }
        } while try reader.endMember()
    }

    // MARK: The event

    func event() throws(DecodeError) -> LLMEvent {
        if status == nil, start == nil {
            // Every StandardLoggingPayload has both: this is another format on a `litellm` topic.
            throw DecodeError(
                .missingField, field: "status",
                reason:
                    "not a LiteLLM StandardLoggingPayload: status and startTime are missing (is the topic's format right?)"
            )
        }
        guard let status else { throw DecodeError(.missingField, field: "status", reason: "status is required") }
        guard let start else { throw DecodeError(.missingField, field: "startTime", reason: "startTime is required") }
        guard let end else { throw DecodeError(.missingField, field: "endTime", reason: "endTime is required") }
        guard let reportedModel = model else {
            throw DecodeError(.missingField, field: "model", reason: "model is required (a non-empty string)")
        }
        guard end >= start else {
            throw DecodeError(
                .invalidValue, field: "endTime", reason: "endTime (\(end)) is before startTime (\(start))")
        }
        // LiteLLM sets completionStartTime to endTime when nothing was streamed: only a
        // streamed call has a first token.
        var firstToken: EventTime?
        if stream == true, let completionStart {
            guard completionStart >= start, completionStart <= end else {
                throw DecodeError(
                    .invalidValue, field: "completionStartTime",
                    reason:
                        "completionStartTime (\(completionStart)) is outside [startTime, endTime] (\(start), \(end))")
            }
            firstToken = completionStart
        }

        let provider = self.provider ?? ""
        // `provider/model` is LiteLLM's routing syntax, not part of the model's name.
        var deployment = reportedModel
        if !provider.isEmpty, deployment.hasPrefix(provider + "/"), deployment.count > provider.count + 1 {
            deployment = String(deployment.dropFirst(provider.count + 1))
        }
        let model = modelGroup ?? deployment

        var labels: [String: String] = [:]
        var environment = ""
        for tag in tags {
            guard let colon = tag.firstIndex(of: ":") else { continue }
            let key = String(tag[..<colon])
            let value = String(tag[tag.index(after: colon)...])
            if key == "environment" {
                if environment.isEmpty { environment = value }
            } else if !key.isEmpty, labels[key] == nil {
                labels[key] = value
            }
        }
        if !tags.isEmpty { labels["request_tags"] = tags.joined(separator: ",") }
        if let hash = metadata.apiKeyHash { labels["api_key_hash"] = hash }
        if let owner = metadata.keyUserID { labels["key_user_id"] = owner }
        if let alias = metadata.teamAlias { labels["team_alias"] = alias }
        if let sessionID { labels["session_id"] = sessionID }
        if let callType { labels["call_type"] = callType }
        if modelGroup != nil, model != deployment { labels["deployment_model"] = deployment }

        var tokens = TokenCounts()
        var usagePath = "usage"
        if cacheHit == true {
            // Served from LiteLLM's cache: no provider processed a token (LiteLLM logs the
            // cached response's usage but a response_cost of 0).
            labels["cache_hit"] = "true"
        } else {
            let usage = response?.usage ?? metadata.usage ?? ChatCompletionUsage()
            usagePath = response?.usage != nil ? "response.usage" : "metadata.usage_object"
            tokens = try usage.tokenCounts(
                path: usagePath, promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0)
        }

        let failed = status == .error
        let event = LLMEvent(
            requestID: id, traceID: traceID, spanID: nil,
            start: start, firstToken: firstToken, end: end,
            model: model, provider: provider,
            dimensions: EventDimensions(
                app: metadata.keyAlias ?? "", route: metadata.requestRoute ?? "", tenant: metadata.orgID ?? "",
                user: endUser ?? metadata.endUserID ?? "", team: metadata.teamID ?? "", environment: environment,
                modelVersion: response?.model ?? "", labels: labels),
            tokens: tokens, status: status,
            errorType: failed ? errorClass ?? normalizedError : nil,
            httpStatus: failed ? errorCode.flatMap { (100...599).contains($0) ? Int($0) : nil } : nil,
            finishReason: failed ? nil : response?.finishReason,
            prompt: prompt,
            response: failed ? nil : response?.content ?? responseText)
        if let violation = EventLimits.violation(in: event) {
            throw violation.error(naming: name(of: violation.field, usagePath: usagePath))
        }
        return event
    }

    /// Where in the payload an event field came from, for the error of a limit it breaks.
    func name(of field: EventField, usagePath: String) -> String {
        switch field {
        case .requestID: "id"
        case .traceID: "trace_id"
        case .dimension(.model): modelGroup != nil ? "model_group" : "model"
        case .dimension(.provider): "custom_llm_provider"
        case .dimension(.app): "metadata.user_api_key_alias"
        case .dimension(.route): "metadata.user_api_key_request_route"
        case .dimension(.tenant): "metadata.user_api_key_org_id"
        case .dimension(.user): endUser != nil ? "end_user" : "metadata.user_api_key_end_user_id"
        case .dimension(.team): "metadata.user_api_key_team_id"
        case .dimension(.environment): "request_tags (environment:…)"
        case .dimension(.modelVersion): "response.model"
        case .label(let key), .labelKey(let key):
            switch key {
            case "api_key_hash": "metadata.user_api_key_hash"
            case "key_user_id": "metadata.user_api_key_user_id"
            case "team_alias": "metadata.user_api_key_team_alias"
            case "session_id", "call_type", "request_tags", "cache_hit": key
            case "deployment_model": "model"
            default: "request_tags (\(EventLimits.quoted(key)):…)"
            }
        case .labels, .dimensions: "request_tags and metadata"
        case .errorType: "error_information.error_class"
        case .finishReason: "response.choices[0].finish_reason"
        case .prompt: "messages"
        case .response: "response"
        case .inputTokens: "prompt_tokens"
        case .outputTokens: "completion_tokens"
        case .cachedInputTokens: "\(usagePath).prompt_tokens_details.cached_tokens"
        case .cacheWriteTokens, .cacheWrite1hTokens: "\(usagePath).cache_creation_input_tokens"
        case .reasoningTokens: "\(usagePath).completion_tokens_details.reasoning_tokens"
        default: field.nativeName
        }
    }
}

/// The parts of `metadata` (LiteLLM's `StandardLoggingMetadata`) an event keeps.
struct LiteLLMMetadata {
    var apiKeyHash: String?
    var keyAlias: String?
    var teamID: String?
    var teamAlias: String?
    var orgID: String?
    var keyUserID: String?
    var endUserID: String?
    var requestRoute: String?
    var usage: ChatCompletionUsage?

    mutating func read(_ reader: inout GatewayJSONReader) throws(DecodeError) {
        guard let hasMembers = try reader.beginObject("metadata"), hasMembers else { return }
        var fallbackTeamID: String?
        var fallbackTeamAlias: String?
        var seen = SeenKeys()
        repeat {
            let (key, offset) = try reader.nextKey()
            let field = "metadata.\(key)"
            guard LiteLLMMetadata.keys.contains(key) else {
                try reader.skip(depth: 3)
                continue
            }
            guard seen.insert(key) else { throw reader.duplicateKey(field, at: offset) }
            switch key {
            case "user_api_key_hash": apiKeyHash = try reader.nonEmptyString(field)
            case "user_api_key_alias": keyAlias = try reader.nonEmptyString(field)
            case "user_api_key_team_id": teamID = try reader.nonEmptyString(field)
            case "user_api_key_team_alias": teamAlias = try reader.nonEmptyString(field)
            case "team_id": fallbackTeamID = try reader.nonEmptyString(field)
            case "team_alias": fallbackTeamAlias = try reader.nonEmptyString(field)
            case "user_api_key_org_id": orgID = try reader.nonEmptyString(field)
            case "user_api_key_user_id": keyUserID = try reader.nonEmptyString(field)
            case "user_api_key_end_user_id": endUserID = try reader.nonEmptyString(field)
            case "user_api_key_request_route": requestRoute = try reader.nonEmptyString(field)
            default: usage = try reader.usage(field, depth: 3)
            }
        } while try reader.endMember()
        teamID = teamID ?? fallbackTeamID
        teamAlias = teamAlias ?? fallbackTeamAlias
    }

    static let keys: Set<String> = [
        "user_api_key_hash", "user_api_key_alias", "user_api_key_team_id", "user_api_key_team_alias", "team_id",
        "team_alias", "user_api_key_org_id", "user_api_key_user_id", "user_api_key_end_user_id",
        "user_api_key_request_route", "usage_object",
    ]
}
