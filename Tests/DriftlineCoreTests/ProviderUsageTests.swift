import Testing

@testable import DriftlineCore

/// The usage objects below are the examples of the providers' documentation (OpenAI prompt
/// caching and reasoning guides, Anthropic prompt caching with 1-hour writes, Gemini thinking).
/// The oracle for "each token priced once" is the provider's own total: the normalised parts
/// must add up to it exactly.
@Suite struct ProviderUsageTests {
    @Test func openAIPromptCachingExample() throws {
        // {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
        //  "prompt_tokens_details": {"cached_tokens": 1920}, "completion_tokens_details": {"reasoning_tokens": 0}}
        let counts = try ProviderUsage.openAI(promptTokens: 2006, completionTokens: 300, cachedTokens: 1920)
        #expect(counts.uncachedInput == 86)
        #expect(counts.cachedInput == 1920)
        #expect(counts.total == 2306)
    }

    @Test func openAIReasoningExample() throws {
        // Responses API: {"input_tokens": 75, "input_tokens_details": {"cached_tokens": 0},
        //  "output_tokens": 1186, "output_tokens_details": {"reasoning_tokens": 1024}, "total_tokens": 1261}
        let counts = try ProviderUsage.openAI(promptTokens: 75, completionTokens: 1186, reasoningTokens: 1024)
        #expect(counts.visibleOutput == 162)
        #expect(counts.reasoning == 1024)
        #expect(counts.total == 1261)
    }

    @Test func anthropicCacheWriteExample() throws {
        // {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 0, "output_tokens": 393}
        let counts = try ProviderUsage.anthropic(
            inputTokens: 21, outputTokens: 393, cacheReadInputTokens: 0, cacheCreationInputTokens: 188_086)
        #expect(counts.input == 188_107)
        #expect(counts.uncachedInput == 21)
        #expect(counts.cacheWrite5m == 188_086)
    }

    @Test func anthropicOneHourCacheExample() throws {
        // {"input_tokens": 2048, "cache_read_input_tokens": 1800, "cache_creation_input_tokens": 248,
        //  "output_tokens": 503, "cache_creation": {"ephemeral_1h_input_tokens": 100, "ephemeral_5m_input_tokens": 148}}
        let counts = try ProviderUsage.anthropic(
            inputTokens: 2048, outputTokens: 503, cacheReadInputTokens: 1800, cacheCreationInputTokens: 248,
            ephemeral5mInputTokens: 148, ephemeral1hInputTokens: 100)
        #expect(counts.input == 2048 + 1800 + 248)
        #expect(counts.uncachedInput == 2048)
        #expect(counts.cachedInput == 1800)
        #expect(counts.cacheWrite5m == 148)
        #expect(counts.cacheWrite1h == 100)
        #expect(counts.uncachedInput + counts.cachedInput + counts.cacheWrite5m + counts.cacheWrite1h == counts.input)
    }

    @Test func anthropicBreakdownMustAddUp() {
        #expect(throws: DecodeError.self) {
            try ProviderUsage.anthropic(
                inputTokens: 1, outputTokens: 1, cacheCreationInputTokens: 248, ephemeral5mInputTokens: 148,
                ephemeral1hInputTokens: 99)
        }
    }

    @Test func geminiThinkingExample() throws {
        // usageMetadata: {"promptTokenCount": 10, "candidatesTokenCount": 306, "thoughtsTokenCount": 1184,
        //  "cachedContentTokenCount": 0, "totalTokenCount": 1500}
        let counts = try ProviderUsage.gemini(promptTokenCount: 10, candidatesTokenCount: 306, thoughtsTokenCount: 1184)
        #expect(counts.output == 1490)
        #expect(counts.reasoning == 1184)
        #expect(counts.total == 1500)
    }

    @Test func geminiToolUsePromptTokensAreInput() throws {
        // totalTokenCount = prompt + candidates + thoughts + toolUsePrompt = 100 + 20 + 0 + 30
        let counts = try ProviderUsage.gemini(
            promptTokenCount: 100, candidatesTokenCount: 20, cachedContentTokenCount: 40, toolUsePromptTokenCount: 30)
        #expect(counts.input == 130)
        #expect(counts.total == 150)
        #expect(counts.uncachedInput == 90)
    }

    @Test func openTelemetryConventions() throws {
        let semconv = try ProviderUsage.openTelemetry(
            inputTokens: 500, outputTokens: 80, cacheReadInputTokens: 300, cacheCreationInputTokens: 100,
            reasoningOutputTokens: 30)
        #expect(semconv.uncachedInput == 100)
        #expect(semconv.visibleOutput == 50)
        let anthropicStyle = try ProviderUsage.openTelemetry(
            inputTokens: 100, outputTokens: 80, cacheReadInputTokens: 300, cacheCreationInputTokens: 100,
            inputConvention: .excludesCache)
        #expect(anthropicStyle.input == 500)
        #expect(anthropicStyle.uncachedInput == 100)
        #expect(throws: DecodeError.self) {
            try ProviderUsage.openTelemetry(inputTokens: 100, outputTokens: 0, cacheReadInputTokens: 300)
        }
    }

    /// The same request reported by each provider's convention costs the same: no token is
    /// priced twice (a naive reading of Anthropic's input_tokens as a total would under-bill,
    /// adding OpenAI's cached_tokens to prompt_tokens would double-bill).
    @Test func equivalentReportsCostTheSame() throws {
        let rates = TokenRates(
            input: try Money(decimal: "3", per: 1_000_000), output: try Money(decimal: "15", per: 1_000_000),
            cachedInput: try Money(decimal: "0.3", per: 1_000_000),
            cacheWrite5m: try Money(decimal: "3.75", per: 1_000_000))
        let openAIStyle = try ProviderUsage.openTelemetry(
            inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 600, cacheCreationInputTokens: 100)
        let anthropic = try ProviderUsage.anthropic(
            inputTokens: 300, outputTokens: 200, cacheReadInputTokens: 600, cacheCreationInputTokens: 100)
        #expect(openAIStyle == anthropic)
        // 300 × 3 + 600 × 0.3 + 100 × 3.75 + 200 × 15 = 900 + 180 + 375 + 3000 = 4455 per million
        #expect(rates.cost(of: anthropic) == (try Money(decimal: "0.004455")))
    }
}
