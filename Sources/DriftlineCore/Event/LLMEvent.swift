// swift-format-ignore-file: UseShorthandTypeNames
// Optional stored properties are spelled `Optional<T>`: a `var x: T?` property gets an
// implicit `= nil` default, and with it (Swift 6.3, -O) the initializer built the event in a
// temporary and copied it out, a retain and a release per string on every decoded record.

/// One model call, whatever source reported it (native JSON request log, gateway log,
/// OpenTelemetry GenAI span).
///
/// The decoders guarantee the invariants documented on each field (`model` non-empty,
/// `start ≤ firstToken ≤ end`, token counts consistent); code that builds events by hand
/// is trusted to do the same.
public struct LLMEvent: Sendable, Equatable {
    public enum Status: String, Sendable, Hashable {
        case ok
        case error
    }

    public var requestID: Optional<String>
    public var traceID: Optional<String>
    public var spanID: Optional<String>

    /// When the request was sent to the model.
    public var start: EventTime
    /// When the first output token arrived (streaming responses only).
    public var firstToken: Optional<EventTime>
    /// When the response completed or failed.
    public var end: EventTime

    /// The model the caller asked for, e.g. `gpt-4o`; never empty.
    public var model: String
    /// e.g. `openai`, `anthropic`; empty when unknown.
    public var provider: String
    public var dimensions: EventDimensions
    public var tokens: TokenCounts

    public var status: Status
    /// A short machine-readable error class such as `rate_limit` or `timeout`.
    public var errorType: Optional<String>
    /// The HTTP status of the model call, 100…599.
    public var httpStatus: Optional<Int>
    /// e.g. `stop`, `length`, `tool_calls`, `content_filter`.
    public var finishReason: Optional<String>

    public var prompt: Optional<String>
    public var response: Optional<String>
    /// Retrieved passages the response should be grounded in.
    public var context: Optional<[String]>
    public var embedding: Optional<[Float]>
    public var feedback: Optional<Feedback>
    /// The mean natural log-probability of the response's tokens (≤ 0), when the gateway logs
    /// it: a low one marks an answer the model was unsure of.
    public var logprobMean: Optional<Double>

    public init(
        requestID: String? = nil,
        traceID: String? = nil,
        spanID: String? = nil,
        start: EventTime,
        firstToken: EventTime? = nil,
        end: EventTime,
        model: String,
        provider: String = "",
        dimensions: EventDimensions = EventDimensions(),
        tokens: TokenCounts = TokenCounts(),
        status: Status = .ok,
        errorType: String? = nil,
        httpStatus: Int? = nil,
        finishReason: String? = nil,
        prompt: String? = nil,
        response: String? = nil,
        context: [String]? = nil,
        embedding: [Float]? = nil,
        feedback: Feedback? = nil,
        logprobMean: Double? = nil
    ) {
        self.logprobMean = logprobMean
        self.requestID = requestID
        self.traceID = traceID
        self.spanID = spanID
        self.start = start
        self.firstToken = firstToken
        self.end = end
        self.model = model
        self.provider = provider
        self.dimensions = dimensions
        self.tokens = tokens
        self.status = status
        self.errorType = errorType
        self.httpStatus = httpStatus
        self.finishReason = finishReason
        self.prompt = prompt
        self.response = response
        self.context = context
        self.embedding = embedding
        self.feedback = feedback
    }

    /// Time to first token: `firstToken − start`.
    public var ttftMilliseconds: Double? {
        firstToken.map { $0.milliseconds(since: start) }
    }

    /// Time per output token after the first: `(end − firstToken) / (output − 1)`, defined
    /// only for streamed responses with more than one output token. `output` includes
    /// reasoning tokens, as the provider counts them.
    public var tpotMilliseconds: Double? {
        guard let firstToken, tokens.output > 1 else { return nil }
        return end.milliseconds(since: firstToken) / Double(tokens.output - 1)
    }

    /// End-to-end latency: `end − start`.
    public var latencyMilliseconds: Double {
        end.milliseconds(since: start)
    }
}
