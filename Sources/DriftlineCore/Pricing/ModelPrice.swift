/// Prices per token of each kind, as exact amounts. A rate left nil falls back as the
/// providers bill it: cached reads and cache writes to the input price, one-hour cache writes to
/// the five-minute price, reasoning to the output price.
public struct TokenRates: Sendable, Hashable {
    public var input: Money
    public var output: Money
    public var cachedInput: Money?
    public var cacheWrite5m: Money?
    public var cacheWrite1h: Money?
    public var reasoning: Money?

    public init(
        input: Money, output: Money, cachedInput: Money? = nil, cacheWrite5m: Money? = nil,
        cacheWrite1h: Money? = nil, reasoning: Money? = nil
    ) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.reasoning = reasoning
    }

    public var effectiveCachedInput: Money { cachedInput ?? input }
    public var effectiveCacheWrite5m: Money { cacheWrite5m ?? input }
    public var effectiveCacheWrite1h: Money { cacheWrite1h ?? effectiveCacheWrite5m }
    public var effectiveReasoning: Money { reasoning ?? output }

    /// Each token priced once: the input total splits into uncached, cached, 5-minute and
    /// 1-hour writes; the output total into visible and reasoning tokens.
    public func cost(of tokens: TokenCounts) -> Money {
        input.times(tokens.uncachedInput) + effectiveCachedInput.times(tokens.cachedInput)
            + effectiveCacheWrite5m.times(tokens.cacheWrite5m) + effectiveCacheWrite1h.times(tokens.cacheWrite1h)
            + output.times(tokens.visibleOutput) + effectiveReasoning.times(tokens.reasoning)
    }
}

/// Rates that replace the base rates for a request whose input total (prompt tokens,
/// cached ones included) is above `aboveInputTokens` — the whole request, input and output,
/// as Google and Anthropic bill long-context requests (and as LiteLLM's
/// `*_above_200k_tokens` fields are applied). Rates the tier leaves nil come from the base.
public struct PriceTier: Sendable, Hashable {
    public var aboveInputTokens: Int64
    public var input: Money?
    public var output: Money?
    public var cachedInput: Money?
    public var cacheWrite5m: Money?
    public var cacheWrite1h: Money?
    public var reasoning: Money?

    public init(
        aboveInputTokens: Int64, input: Money? = nil, output: Money? = nil, cachedInput: Money? = nil,
        cacheWrite5m: Money? = nil, cacheWrite1h: Money? = nil, reasoning: Money? = nil
    ) {
        self.aboveInputTokens = aboveInputTokens
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.reasoning = reasoning
    }

    func applied(to base: TokenRates) -> TokenRates {
        TokenRates(
            input: input ?? base.input, output: output ?? base.output,
            cachedInput: cachedInput ?? base.cachedInput, cacheWrite5m: cacheWrite5m ?? base.cacheWrite5m,
            cacheWrite1h: cacheWrite1h ?? base.cacheWrite1h, reasoning: reasoning ?? base.reasoning)
    }
}

/// A self-hosted deployment billed by the GPU-hour rather than by the token. Its cost cannot
/// be known per event: it is spread over the tokens a window saw of that deployment, in SQL
/// (`dl_cost_windows`), because several consumers write the same window.
public struct GPUHourPrice: Sendable, Hashable {
    /// USD per GPU per hour.
    public var pricePerGPUHour: Money
    public var gpus: Int64

    public init(pricePerGPUHour: Money, gpus: Int64) {
        self.pricePerGPUHour = pricePerGPUHour
        self.gpus = gpus
    }
}

/// One entry of the price catalogue: who it applies to, from when, and what it charges.
public struct ModelPrice: Sendable, Hashable {
    /// The provider as events report it (`openai`, `anthropic` …), or `*` for any provider.
    public var provider: String
    public var model: ModelPattern
    /// The instant from which this price is in force (UTC midnight of the catalogue's date).
    public var effectiveFrom: EventTime
    public var rates: TokenRates
    /// Sorted by threshold, lowest first.
    public var tiers: [PriceTier]
    /// USD charged per request on top of the tokens.
    public var requestFee: Money
    public var gpuHour: GPUHourPrice?
    /// Where the entry came from, e.g. `prices[12]`, for messages.
    public var location: String

    public init(
        provider: String, model: ModelPattern, effectiveFrom: EventTime = .epoch, rates: TokenRates,
        tiers: [PriceTier] = [], requestFee: Money = .zero, gpuHour: GPUHourPrice? = nil, location: String = ""
    ) {
        self.provider = provider
        self.model = model
        self.effectiveFrom = effectiveFrom
        self.rates = rates
        self.tiers = tiers.sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        self.requestFee = requestFee
        self.gpuHour = gpuHour
        self.location = location
    }

    /// The rates for a request with this many input tokens: the highest tier it is above.
    public func rates(forInputTokens input: Int64) -> TokenRates {
        guard let tier = tiers.last(where: { input > $0.aboveInputTokens }) else { return rates }
        return tier.applied(to: rates)
    }

    /// The cost of one request with these tokens (a GPU-hour deployment's tokens cost nothing
    /// here: its hours are spread over them in SQL).
    public func cost(of tokens: TokenCounts) -> Money {
        rates(forInputTokens: tokens.input).cost(of: tokens) + requestFee
    }

    /// What the cached reads saved against paying the full input price for them.
    public func cacheSavings(of tokens: TokenCounts) -> Money {
        let rates = rates(forInputTokens: tokens.input)
        return (rates.input - rates.effectiveCachedInput).times(tokens.cachedInput)
    }
}
