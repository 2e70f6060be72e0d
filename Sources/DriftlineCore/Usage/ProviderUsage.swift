/// Token usage as each provider reports it, normalised to `TokenCounts` (totals include their
/// parts), so that every token is counted — and priced — exactly once whatever the source.
///
/// | provider | input total | cached read | cache write | output total | reasoning |
/// |---|---|---|---|---|---|
/// | OpenAI (`usage`) | `prompt_tokens` (includes cached) | `prompt_tokens_details.cached_tokens` | — | `completion_tokens` (includes reasoning) | `completion_tokens_details.reasoning_tokens` |
/// | Anthropic (`usage`) | `input_tokens + cache_read_input_tokens + cache_creation_input_tokens` | `cache_read_input_tokens` | `cache_creation_input_tokens` | `output_tokens` | — |
/// | Anthropic with `cache_creation` | as above | `cache_read_input_tokens` | `ephemeral_5m_input_tokens + ephemeral_1h_input_tokens` (1-hour part kept as `cacheWrite1h`) | `output_tokens` | — |
/// | Gemini (`usageMetadata`) | `promptTokenCount` (includes cached) `+ toolUsePromptTokenCount` | `cachedContentTokenCount` | — | `candidatesTokenCount + thoughtsTokenCount` | `thoughtsTokenCount` |
/// | OTLP `gen_ai.usage.*` | `input_tokens` / `prompt_tokens` (includes cache; Anthropic-style instrumentations: `+ cache_read + cache_creation`) | `cache_read.input_tokens` | `cache_creation.input_tokens` | `output_tokens` / `completion_tokens` | `reasoning.output_tokens` |
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
            throw DecodeError(
                .invalidValue, field: "input_tokens", reason: "input token counts overflow a 64-bit integer")
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

    /// Anthropic's usage object with its `cache_creation` breakdown: writes with the default
    /// five-minute lifetime (`ephemeral_5m_input_tokens`) and one-hour writes
    /// (`ephemeral_1h_input_tokens`), priced differently. `cache_creation_input_tokens` is their
    /// sum when both are reported; pass nil when the producer omitted it.
    public static func anthropic(
        inputTokens: Int64, outputTokens: Int64, cacheReadInputTokens: Int64 = 0,
        cacheCreationInputTokens: Int64? = nil, ephemeral5mInputTokens: Int64, ephemeral1hInputTokens: Int64
    ) throws(DecodeError) -> TokenCounts {
        try nonNegative(ephemeral5mInputTokens, "cache_creation.ephemeral_5m_input_tokens")
        try nonNegative(ephemeral1hInputTokens, "cache_creation.ephemeral_1h_input_tokens")
        let (writes, overflow) = ephemeral5mInputTokens.addingReportingOverflow(ephemeral1hInputTokens)
        if overflow {
            throw DecodeError(
                .invalidValue, field: "cache_creation", reason: "cache write token counts overflow a 64-bit integer")
        }
        if let total = cacheCreationInputTokens, total != writes {
            throw DecodeError(
                .invalidValue, field: "cache_creation_input_tokens",
                reason: "cache_creation_input_tokens (\(total)) is not ephemeral_5m_input_tokens + "
                    + "ephemeral_1h_input_tokens (\(ephemeral5mInputTokens) + \(ephemeral1hInputTokens))")
        }
        var counts = try anthropic(
            inputTokens: inputTokens, outputTokens: outputTokens, cacheReadInputTokens: cacheReadInputTokens,
            cacheCreationInputTokens: writes)
        counts.cacheWrite1h = ephemeral1hInputTokens
        return counts
    }

    /// Gemini's `usageMetadata` with `toolUsePromptTokenCount`: the prompt tokens of tool
    /// results (e.g. grounding), billed as input but not part of `promptTokenCount`.
    public static func gemini(
        promptTokenCount: Int64, candidatesTokenCount: Int64, cachedContentTokenCount: Int64 = 0,
        thoughtsTokenCount: Int64 = 0, toolUsePromptTokenCount: Int64
    ) throws(DecodeError) -> TokenCounts {
        try nonNegative(toolUsePromptTokenCount, "toolUsePromptTokenCount")
        var counts = try gemini(
            promptTokenCount: promptTokenCount, candidatesTokenCount: candidatesTokenCount,
            cachedContentTokenCount: cachedContentTokenCount, thoughtsTokenCount: thoughtsTokenCount)
        let (input, overflow) = counts.input.addingReportingOverflow(toolUsePromptTokenCount)
        if overflow {
            throw DecodeError(
                .invalidValue, field: "toolUsePromptTokenCount", reason: "input token counts overflow a 64-bit integer")
        }
        counts.input = input
        return counts
    }

    /// How an OpenTelemetry GenAI instrumentation counted `gen_ai.usage.input_tokens`.
    public enum OpenTelemetryInputConvention: Sendable {
        /// The semantic conventions' rule: the input total includes cache reads and writes
        /// (OpenAI-style instrumentations, `gen_ai.usage.prompt_tokens` of older ones).
        case includesCache
        /// Anthropic-style instrumentations that copy `input_tokens` as Anthropic reports it,
        /// without the cache reads and writes.
        case excludesCache
    }

    /// OTLP GenAI spans: `gen_ai.usage.input_tokens` (older: `prompt_tokens`),
    /// `gen_ai.usage.output_tokens` (older: `completion_tokens`),
    /// `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_creation.input_tokens` and
    /// reasoning tokens (`gen_ai.usage.reasoning.output_tokens`), which are part of the output.
    public static func openTelemetry(
        inputTokens: Int64, outputTokens: Int64, cacheReadInputTokens: Int64 = 0,
        cacheCreationInputTokens: Int64 = 0, reasoningOutputTokens: Int64 = 0,
        inputConvention: OpenTelemetryInputConvention = .includesCache
    ) throws(DecodeError) -> TokenCounts {
        switch inputConvention {
        case .excludesCache:
            var counts = try anthropic(
                inputTokens: inputTokens, outputTokens: outputTokens, cacheReadInputTokens: cacheReadInputTokens,
                cacheCreationInputTokens: cacheCreationInputTokens)
            try nonNegative(reasoningOutputTokens, "gen_ai.usage.reasoning.output_tokens")
            try within(
                reasoningOutputTokens, "gen_ai.usage.reasoning.output_tokens", outputTokens,
                "gen_ai.usage.output_tokens")
            counts.reasoning = reasoningOutputTokens
            return counts
        case .includesCache:
            try nonNegative(inputTokens, "gen_ai.usage.input_tokens")
            try nonNegative(outputTokens, "gen_ai.usage.output_tokens")
            try nonNegative(cacheReadInputTokens, "gen_ai.usage.cache_read.input_tokens")
            try nonNegative(cacheCreationInputTokens, "gen_ai.usage.cache_creation.input_tokens")
            try nonNegative(reasoningOutputTokens, "gen_ai.usage.reasoning.output_tokens")
            let (parts, overflow) = cacheReadInputTokens.addingReportingOverflow(cacheCreationInputTokens)
            if overflow || parts > inputTokens {
                throw DecodeError(
                    .invalidValue, field: "gen_ai.usage.cache_read.input_tokens",
                    reason: "cache_read (\(cacheReadInputTokens)) + cache_creation (\(cacheCreationInputTokens)) input "
                        + "tokens exceed gen_ai.usage.input_tokens (\(inputTokens)), which must include them")
            }
            try within(
                reasoningOutputTokens, "gen_ai.usage.reasoning.output_tokens", outputTokens,
                "gen_ai.usage.output_tokens")
            return TokenCounts(
                input: inputTokens, output: outputTokens, cachedInput: cacheReadInputTokens,
                cacheWrite: cacheCreationInputTokens, reasoning: reasoningOutputTokens)
        }
    }

    private static func nonNegative(_ value: Int64, _ field: String) throws(DecodeError) {
        if value < 0 {
            throw DecodeError(
                .invalidValue, field: field, reason: "\(field) must be a non-negative integer, got \(value)")
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
