public import DriftlineCore
import DriftlineStats
public import DriftlineStore

extension WindowAggregate {
    /// Folds one event in. Latency and token distributions include failed requests (their
    /// latency is part of what users wait for); TTFT/TPOT only exist for streamed responses.
    public mutating func add(_ event: LLMEvent, late: Bool) {
        requests.saturatingAdd(1)
        if event.status == .error {
            errors.saturatingAdd(1)
            errorsByType[event.errorType ?? "unknown", default: 0].saturatingAdd(1)
        }
        if late { lateEvents.saturatingAdd(1) }
        let tokens = event.tokens
        inputTokens.saturatingAdd(tokens.input)
        outputTokens.saturatingAdd(tokens.output)
        cachedInputTokens.saturatingAdd(tokens.cachedInput)
        cacheWriteTokens.saturatingAdd(tokens.cacheWrite)
        reasoningTokens.saturatingAdd(tokens.reasoning)
        if let ttft = event.ttftMilliseconds { ttftMilliseconds.record(ttft) }
        if let tpot = event.tpotMilliseconds { tpotMilliseconds.record(tpot) }
        latencyMilliseconds.record(event.latencyMilliseconds)
        inputTokensDistribution.record(Double(tokens.input))
        outputTokensDistribution.record(Double(tokens.output))
    }
}
