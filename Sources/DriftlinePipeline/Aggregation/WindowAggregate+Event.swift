public import DriftlineCore
public import DriftlineStore

extension WindowAggregate {
    /// Folds one event in. Latency and token distributions include failed requests (their
    /// latency is part of what users wait for); TTFT/TPOT only exist for streamed responses.
    public mutating func add(_ event: LLMEvent, late: Bool) {
        requests += 1
        if event.status == .error {
            errors += 1
            errorsByType[event.errorType ?? "unknown", default: 0] += 1
        }
        if late { lateEvents += 1 }
        let tokens = event.tokens
        inputTokens += tokens.input
        outputTokens += tokens.output
        cachedInputTokens += tokens.cachedInput
        cacheWriteTokens += tokens.cacheWrite
        reasoningTokens += tokens.reasoning
        if let ttft = event.ttftMilliseconds { ttftMilliseconds.record(ttft) }
        if let tpot = event.tpotMilliseconds { tpotMilliseconds.record(tpot) }
        latencyMilliseconds.record(event.latencyMilliseconds)
        inputTokensDistribution.record(Double(tokens.input))
        outputTokensDistribution.record(Double(tokens.output))
    }
}
