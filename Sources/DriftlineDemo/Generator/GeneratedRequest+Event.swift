public import DriftlineCore

extension TrafficGenerator.GeneratedRequest {
    /// The event this request describes, for sources that are not native JSON (OTLP spans).
    public var event: LLMEvent {
        LLMEvent(
            requestID: requestID, start: EventTime(microsecondsSinceEpoch: startMicroseconds),
            firstToken: firstTokenMicroseconds.map { EventTime(microsecondsSinceEpoch: $0) },
            end: EventTime(microsecondsSinceEpoch: endMicroseconds), model: model, provider: provider,
            dimensions: EventDimensions(
                app: app, route: route, tenant: tenant, team: team, environment: environment,
                modelVersion: "\(model)-2026-06", labels: ["operation": "chat"]),
            tokens: TokenCounts(
                input: inputTokens, output: outputTokens, cachedInput: cachedInputTokens, cacheWrite: cacheWriteTokens,
                reasoning: reasoningTokens),
            status: isError ? .error : .ok, errorType: errorType, httpStatus: httpStatus,
            finishReason: isError ? nil : "stop")
    }
}
