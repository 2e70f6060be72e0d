public import DriftlineCore
import DriftlineStats

/// The mergeable cost figures of one window and cost-attribution key (`dl_costs`). Kept apart
/// from `WindowAggregate` so that splitting cost by user or team does not multiply the
/// latency-histogram rows of `dl_windows`.
///
/// `cost` is nil until a priced event is folded in: a row of unpriced events has a NULL cost,
/// never 0, and its requests and tokens are counted as unpriced.
public struct CostAggregate: Sendable, Equatable {
    public var requests: Int64 = 0
    public var unpricedRequests: Int64 = 0
    public var inputTokens: Int64 = 0
    public var outputTokens: Int64 = 0
    public var cachedInputTokens: Int64 = 0
    public var cacheWrite5mTokens: Int64 = 0
    public var cacheWrite1hTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0
    public var unpricedInputTokens: Int64 = 0
    public var unpricedOutputTokens: Int64 = 0
    public var cost: Money?
    /// What cached reads saved against the full input price, for priced events.
    public var cacheSavings: Money = .zero

    public init() {}

    public var pricedRequests: Int64 { requests - unpricedRequests }

    /// Folds in one event with its price (nil: unpriced).
    public mutating func add(_ tokens: TokenCounts, price: ModelPrice?) {
        requests.saturatingAdd(1)
        inputTokens.saturatingAdd(tokens.input)
        outputTokens.saturatingAdd(tokens.output)
        cachedInputTokens.saturatingAdd(tokens.cachedInput)
        cacheWrite5mTokens.saturatingAdd(tokens.cacheWrite5m)
        cacheWrite1hTokens.saturatingAdd(tokens.cacheWrite1h)
        reasoningTokens.saturatingAdd(tokens.reasoning)
        if let price {
            cost = (cost ?? .zero) + price.cost(of: tokens)
            cacheSavings += price.cacheSavings(of: tokens)
        } else {
            unpricedRequests.saturatingAdd(1)
            unpricedInputTokens.saturatingAdd(tokens.input)
            unpricedOutputTokens.saturatingAdd(tokens.output)
        }
    }

    public mutating func merge(_ other: CostAggregate) {
        requests.saturatingAdd(other.requests)
        unpricedRequests.saturatingAdd(other.unpricedRequests)
        inputTokens.saturatingAdd(other.inputTokens)
        outputTokens.saturatingAdd(other.outputTokens)
        cachedInputTokens.saturatingAdd(other.cachedInputTokens)
        cacheWrite5mTokens.saturatingAdd(other.cacheWrite5mTokens)
        cacheWrite1hTokens.saturatingAdd(other.cacheWrite1hTokens)
        reasoningTokens.saturatingAdd(other.reasoningTokens)
        unpricedInputTokens.saturatingAdd(other.unpricedInputTokens)
        unpricedOutputTokens.saturatingAdd(other.unpricedOutputTokens)
        if let theirs = other.cost { cost = (cost ?? .zero) + theirs }
        cacheSavings += other.cacheSavings
    }
}
