/// Token usage as each provider reports it, normalised to `TokenCounts` (totals include their
/// parts), so that every token is counted — and priced — exactly once whatever the source.
///
/// | provider | input total | cached read | cache write | output total | reasoning |
/// |---|---|---|---|---|---|
/// | OpenAI (`usage`) | `prompt_tokens` (includes cached) | `prompt_tokens_details.cached_tokens` | — | `completion_tokens` (includes reasoning) | `completion_tokens_details.reasoning_tokens` |
/// | Anthropic (`usage`) | `input_tokens + cache_read_input_tokens + cache_creation_input_tokens` | `cache_read_input_tokens` | `cache_creation_input_tokens` | `output_tokens` | — |
/// | Gemini (`usageMetadata`) | `promptTokenCount` (includes cached) | `cachedContentTokenCount` | — | `candidatesTokenCount + thoughtsTokenCount` | `thoughtsTokenCount` |
///
/// Each function checks that the parts fit inside the totals the provider's convention
/// implies and reports the field that breaks it, so a producer that mixed conventions is told
/// rather than silently double-billed.
public enum ProviderUsage {
    /// OpenAI's usage object (Chat Completions; the Responses API's `input_tokens` /
    /// `output_tokens` follow the same convention): `prompt_tokens` counts cached tokens and
    /// `completion_tokens` counts reasoning tokens.
    public static func openAI(
        promptTokens: Int64, completionTokens: Int64, cachedTokens: Int64 = 0, reasoningTokens: Int64 = 0
    ) throws(DecodeError) -> TokenCounts {
        try nonNegative(promptTokens, "prompt_tokens")
        try nonNegative(completionTokens, "completion_tokens")
        try nonNegative(cachedTokens, "prompt_tokens_details.cached_tokens")
        try nonNegative(reasoningTokens, "completion_tokens_details.reasoning_tokens")
        try within(cachedTokens, "prompt_tokens_details.cached_tokens", promptTokens, "prompt_tokens")
        try within(reasoningTokens, "completion_tokens_details.reasoning_tokens", completionTokens, "completion_tokens")
        return TokenCounts(
            input: promptTokens, output: completionTokens, cachedInput: cachedTokens, reasoning: reasoningTokens)
    }

    /// Anthropic's usage object: `input_tokens` excludes the tokens read from and written to
    /// the prompt cache, so they are added to make the input total.
    public static func anthropic(
        inputTokens: Int64, outputTokens: Int64, cacheReadInputTokens: Int64 = 0, cacheCreationInputTokens: Int64 = 0
    ) throws(DecodeError) -> TokenCounts {
        try nonNegative(inputTokens, "input_tokens")
        try nonNegative(outputTokens, "output_tokens")
        try nonNegative(cacheReadInputTokens, "cache_read_input_tokens")
        try nonNegative(cacheCreationInputTokens, "cache_creation_input_tokens")
        let (sum, overflow) = inputTokens.addingReportingOverflow(cacheReadInputTokens)
        let (total, overflow2) = sum.addingReportingOverflow(cacheCreationInputTokens)
        if overflow || overflow2 {
            throw DecodeError(.invalidValue, field: "input_tokens", reason: "input token counts overflow a 64-bit integer")
        }
        return TokenCounts(
            input: total, output: outputTokens, cachedInput: cacheReadInputTokens,
            cacheWrite: cacheCreationInputTokens)
    }

    /// Gemini's `usageMetadata`: `promptTokenCount` includes `cachedContentTokenCount`;
    /// `candidatesTokenCount` excludes `thoughtsTokenCount`, which is billed at the output price.
    public static func gemini(
        promptTokenCount: Int64, candidatesTokenCount: Int64, cachedContentTokenCount: Int64 = 0,
        thoughtsTokenCount: Int64 = 0
    ) throws(DecodeError) -> TokenCounts {
        try nonNegative(promptTokenCount, "promptTokenCount")
        try nonNegative(candidatesTokenCount, "candidatesTokenCount")
        try nonNegative(cachedContentTokenCount, "cachedContentTokenCount")
        try nonNegative(thoughtsTokenCount, "thoughtsTokenCount")
        try within(cachedContentTokenCount, "cachedContentTokenCount", promptTokenCount, "promptTokenCount")
        let (output, overflow) = candidatesTokenCount.addingReportingOverflow(thoughtsTokenCount)
        if overflow {
            throw DecodeError(
                .invalidValue, field: "candidatesTokenCount", reason: "output token counts overflow a 64-bit integer")
        }
        return TokenCounts(
            input: promptTokenCount, output: output, cachedInput: cachedContentTokenCount,
            reasoning: thoughtsTokenCount)
    }

    private static func nonNegative(_ value: Int64, _ field: String) throws(DecodeError) {
        if value < 0 {
            throw DecodeError(.invalidValue, field: field, reason: "\(field) must be a non-negative integer, got \(value)")
        }
    }

    private static func within(_ part: Int64, _ partField: String, _ total: Int64, _ totalField: String)
        throws(DecodeError)
    {
        if part > total {
            throw DecodeError(
                .invalidValue, field: partField,
                reason: "\(partField) (\(part)) exceeds \(totalField) (\(total)); \(totalField) must include it")
        }
    }
}
