/// What an `LLMEvent` keeps of an OpenAI Chat Completions response object
/// (`"object": "chat.completion"`), which LiteLLM's `response` also follows, or of OpenAI's
/// error body (`{"error": {"message", "type", "param", "code"}}`).
struct ChatCompletionObject {
    var id: String?
    /// The model that served the call, e.g. `gpt-4o-2024-08-06` (OpenAI resolves aliases).
    var model: String?
    /// Of `choices[0]`: with `n > 1` the first choice stands for the call.
    var finishReason: String?
    /// `choices[0].message.content`: the text, or the JSON of a content-part array.
    var content: String?
    var usage: ChatCompletionUsage?
    /// `error.code`, else `error.type`, of an error body.
    var errorType: String?
    var isError = false
}

/// A usage object in OpenAI's shape: totals that include their parts.
struct ChatCompletionUsage {
    var promptTokens: Int64?
    var completionTokens: Int64?
    /// `prompt_tokens_details.cached_tokens`: read from the prompt cache, inside `prompt_tokens`.
    var cachedTokens: Int64?
    /// LiteLLM's addition for providers that bill cache writes (Anthropic):
    /// `cache_creation_input_tokens`, or `prompt_tokens_details.cache_creation_tokens` when the
    /// former is absent; inside `prompt_tokens`.
    var cacheCreationTokens: Int64?
    /// `completion_tokens_details.reasoning_tokens`, inside `completion_tokens`.
    var reasoningTokens: Int64?

    /// The counts with every token once, through `ProviderUsage.openAI`; the totals given
    /// override the object's own (LiteLLM's payload repeats them at the top level).
    func tokenCounts(path: String, promptTokens: Int64? = nil, completionTokens: Int64? = nil)
        throws(DecodeError) -> TokenCounts
    {
        var counts: TokenCounts
        do {
            counts = try ProviderUsage.openAI(
                promptTokens: promptTokens ?? self.promptTokens ?? 0,
                completionTokens: completionTokens ?? self.completionTokens ?? 0,
                cachedTokens: cachedTokens ?? 0, reasoningTokens: reasoningTokens ?? 0)
        } catch {
            var located = error
            located.field = error.field.map { "\(path).\($0)" }
            throw located
        }
        let write = cacheCreationTokens ?? 0
        let (cacheParts, overflow) = counts.cachedInput.addingReportingOverflow(write)
        if overflow || cacheParts > counts.input {
            throw DecodeError(
                .invalidValue, field: "\(path).cache_creation_input_tokens",
                reason:
                    "\(path): cached_tokens (\(counts.cachedInput)) + cache_creation_input_tokens (\(write)) exceeds prompt_tokens (\(counts.input)); prompt_tokens must include both"
            )
        }
        counts.cacheWrite = write
        return counts
    }
}

extension GatewayJSONReader {
    /// A chat completion or error body at the cursor; nil for `null`. `depth` is the nesting
    /// of the object itself.
    mutating func chatCompletion(_ path: String, depth: Int, keepText: Bool) throws(DecodeError)
        -> ChatCompletionObject?
    {
        guard let hasMembers = try beginObject(path) else { return nil }
        var object = ChatCompletionObject()
        guard hasMembers else { return object }
        var seen = SeenKeys()
        repeat {
            let (key, offset) = try nextKey()
            let field = "\(path).\(key)"
            switch key {
            case "id", "model", "choices", "usage", "error":
                guard seen.insert(key) else { throw duplicateKey(field, at: offset) }
            default:
                try skip(depth: depth + 1)
                continue
            }
            switch key {
            case "id": object.id = try nonEmptyString(field)
            case "model": object.model = try nonEmptyString(field)
            case "choices": try firstChoice(field, depth: depth + 1, keepText: keepText, into: &object)
            case "usage": object.usage = try usage(field, depth: depth + 1)
            default: try errorBody(field, depth: depth + 1, into: &object)
            }
        } while try endMember()
        return object
    }

    private mutating func firstChoice(
        _ path: String, depth: Int, keepText: Bool, into object: inout ChatCompletionObject
    ) throws(DecodeError) {
        guard let hasElements = try beginArray(path), hasElements else { return }
        var index = 0
        repeat {
            let element = "\(path)[\(index)]"
            if index > 0 {
                try skip(depth: depth + 1)
            } else if let hasMembers = try beginObject(element), hasMembers {
                repeat {
                    let (key, _) = try nextKey()
                    switch key {
                    case "finish_reason": object.finishReason = try nonEmptyString("\(element).finish_reason")
                    case "message":
                        object.content = try messageContent("\(element).message", depth: depth + 2, keepText: keepText)
                    default: try skip(depth: depth + 2)
                    }
                } while try endMember()
            }
            index += 1
        } while try endElement()
    }

    private mutating func messageContent(_ path: String, depth: Int, keepText: Bool) throws(DecodeError) -> String? {
        guard let hasMembers = try beginObject(path), hasMembers else { return nil }
        var content: String?
        repeat {
            let (key, _) = try nextKey()
            if key == "content" {
                let field = "\(path).content"
                if atString || !atArray {
                    content = try text(field, keep: keepText)
                } else {
                    content = try verbatim(field, depth: depth + 1, keep: keepText)
                }
            } else {
                try skip(depth: depth + 1)
            }
        } while try endMember()
        return content
    }

    /// A usage object at the cursor; nil for `null`.
    mutating func usage(_ path: String, depth: Int) throws(DecodeError) -> ChatCompletionUsage? {
        guard let hasMembers = try beginObject(path) else { return nil }
        var usage = ChatCompletionUsage()
        guard hasMembers else { return usage }
        var detailsCacheCreation: Int64?
        var seen = SeenKeys()
        repeat {
            let (key, offset) = try nextKey()
            let field = "\(path).\(key)"
            switch key {
            case "prompt_tokens", "completion_tokens", "cache_creation_input_tokens", "prompt_tokens_details",
                "completion_tokens_details":
                guard seen.insert(key) else { throw duplicateKey(field, at: offset) }
            default:
                try skip(depth: depth + 1)
                continue
            }
            switch key {
            case "prompt_tokens": usage.promptTokens = try count(field)
            case "completion_tokens": usage.completionTokens = try count(field)
            case "cache_creation_input_tokens": usage.cacheCreationTokens = try count(field)
            case "prompt_tokens_details":
                guard let hasDetails = try beginObject(field), hasDetails else { break }
                repeat {
                    let (detail, _) = try nextKey()
                    switch detail {
                    case "cached_tokens": usage.cachedTokens = try count("\(field).cached_tokens")
                    case "cache_creation_tokens": detailsCacheCreation = try count("\(field).cache_creation_tokens")
                    default: try skip(depth: depth + 2)
                    }
                } while try endMember()
            default:
                guard let hasDetails = try beginObject(field), hasDetails else { break }
                repeat {
                    let (detail, _) = try nextKey()
                    if detail == "reasoning_tokens" {
                        usage.reasoningTokens = try count("\(field).reasoning_tokens")
                    } else {
                        try skip(depth: depth + 2)
                    }
                } while try endMember()
            }
        } while try endMember()
        usage.cacheCreationTokens = usage.cacheCreationTokens ?? detailsCacheCreation
        return usage
    }

    private mutating func errorBody(_ path: String, depth: Int, into object: inout ChatCompletionObject)
        throws(DecodeError)
    {
        guard let hasMembers = try beginObject(path) else { return }
        object.isError = true
        guard hasMembers else { return }
        var code: String?
        var type: String?
        repeat {
            let (key, _) = try nextKey()
            switch key {
            // OpenAI writes `code` as a string (`rate_limit_exceeded`) or null; some
            // compatible servers write a number.
            case "code":
                if atString || scanner.base[scanner.position] == UInt8(ascii: "n") {
                    code = try nonEmptyString("\(path).code")
                } else if let number = try looseInteger("\(path).code") {
                    code = String(number)
                }
            case "type": type = try nonEmptyString("\(path).type")
            default: try skip(depth: depth + 1)
            }
        } while try endMember()
        object.errorType = code ?? type
    }
}
