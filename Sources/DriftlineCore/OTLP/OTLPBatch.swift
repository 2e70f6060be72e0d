/// What one OTLP message (a whole export batch, one trace or one span) decodes to.
public struct OTLPBatch: Sendable, Equatable {
    /// One event per model-call span, in the order of the message.
    public var events: [LLMEvent]
    /// Every span that is not a model call (tools, retrieval, agents, plain HTTP…), to be counted.
    public var otherSpans: [OTLPSpanSummary]

    public init(events: [LLMEvent] = [], otherSpans: [OTLPSpanSummary] = []) {
        self.events = events
        self.otherSpans = otherSpans
    }
}

/// A span that is not a model call, reduced to what is counted of it.
public struct OTLPSpanSummary: Sendable, Hashable {
    /// `gen_ai.operation.name` (`execute_tool`, `invoke_agent`, `retrieval`, …), or `other` for a
    /// span without one.
    public var operation: String
    /// The app (`service.name`) and environment, mapped as for model calls.
    public var app: String
    public var environment: String
    public var start: EventTime
    /// Span status ERROR or an `error.type` attribute.
    public var isError: Bool

    public init(operation: String, app: String, environment: String, start: EventTime, isError: Bool) {
        self.operation = operation
        self.app = app
        self.environment = environment
        self.start = start
        self.isError = isError
    }

    /// The operation of spans that carry no GenAI operation name and no model.
    public static let otherOperation = "other"
}
