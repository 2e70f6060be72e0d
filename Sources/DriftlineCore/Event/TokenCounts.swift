/// Token usage of one model call, counted the way OpenAI's usage object and the
/// OpenTelemetry GenAI conventions (`gen_ai.usage.*`) count it: the totals include their
/// parts.
///
/// - `input`: every prompt token, including those read from or written to a prompt cache.
/// - `cachedInput`: the part of `input` served from a prompt cache (OpenAI
///   `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`).
/// - `cacheWrite`: the part of `input` written to a prompt cache (Anthropic
///   `cache_creation_input_tokens`).
/// - `cacheWrite1h`: the part of `cacheWrite` written with a one-hour lifetime (Anthropic
///   `cache_creation.ephemeral_1h_input_tokens`), priced higher than the default five-minute
///   writes; the rest of `cacheWrite` is five-minute writes.
/// - `output`: every generated token, including reasoning tokens.
/// - `reasoning`: the part of `output` spent on hidden reasoning (OpenAI
///   `completion_tokens_details.reasoning_tokens`).
///
/// So `cachedInput + cacheWrite ≤ input`, `cacheWrite1h ≤ cacheWrite` and `reasoning ≤ output`; all counts are
/// non-negative. Anthropic reports `input_tokens` *without* the cache parts, so a mapping
/// from Anthropic usage adds them in. Decoders reject counts that break these rules
/// rather than guess which convention the producer used.
public struct TokenCounts: Sendable, Hashable {
    public var input: Int64
    public var output: Int64
    public var cachedInput: Int64
    public var cacheWrite: Int64
    public var cacheWrite1h: Int64
    public var reasoning: Int64

    public init(
        input: Int64 = 0,
        output: Int64 = 0,
        cachedInput: Int64 = 0,
        cacheWrite: Int64 = 0,
        cacheWrite1h: Int64 = 0,
        reasoning: Int64 = 0
    ) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.cacheWrite1h = cacheWrite1h
        self.reasoning = reasoning
    }

    /// Prompt tokens billed at the full input price: neither read from nor written to a cache.
    public var uncachedInput: Int64 { input - cachedInput - cacheWrite }

    /// Cache writes with the default five-minute lifetime.
    public var cacheWrite5m: Int64 { cacheWrite - cacheWrite1h }

    /// Generated tokens the caller sees: output without reasoning.
    public var visibleOutput: Int64 { output - reasoning }

    public var total: Int64 { input + output }
}
