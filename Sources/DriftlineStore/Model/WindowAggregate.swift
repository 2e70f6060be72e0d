public import DriftlineStats

/// The mergeable aggregate of one window and key: counters add, histograms merge.
public struct WindowAggregate: Sendable, Equatable {
    public var requests: Int64 = 0
    public var errors: Int64 = 0
    public var errorsByType: [String: Int64] = [:]
    /// Events that arrived after a later window had already been seen on their partition.
    public var lateEvents: Int64 = 0
    public var inputTokens: Int64 = 0
    public var outputTokens: Int64 = 0
    public var cachedInputTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0
    public var ttftMilliseconds = ExponentialHistogram()
    public var tpotMilliseconds = ExponentialHistogram()
    public var latencyMilliseconds = ExponentialHistogram()
    public var inputTokensDistribution = ExponentialHistogram()
    public var outputTokensDistribution = ExponentialHistogram()

    public init() {}

    public mutating func merge(_ other: WindowAggregate) {
        requests.saturatingAdd(other.requests)
        errors.saturatingAdd(other.errors)
        errorsByType.merge(other.errorsByType) { $0.saturatingAdding($1) }
        lateEvents.saturatingAdd(other.lateEvents)
        inputTokens.saturatingAdd(other.inputTokens)
        outputTokens.saturatingAdd(other.outputTokens)
        cachedInputTokens.saturatingAdd(other.cachedInputTokens)
        cacheWriteTokens.saturatingAdd(other.cacheWriteTokens)
        reasoningTokens.saturatingAdd(other.reasoningTokens)
        ttftMilliseconds.merge(other.ttftMilliseconds)
        tpotMilliseconds.merge(other.tpotMilliseconds)
        latencyMilliseconds.merge(other.latencyMilliseconds)
        inputTokensDistribution.merge(other.inputTokensDistribution)
        outputTokensDistribution.merge(other.outputTokensDistribution)
    }
}
