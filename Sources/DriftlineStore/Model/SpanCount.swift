import DriftlineStats

/// The window and dimensions non-model-call spans (tools, retrieval, agents, …) are counted by.
public struct SpanCountKey: Hashable, Sendable, Comparable {
    public var windowStart: Int64
    public var windowSeconds: Int32
    public var app: String
    public var environment: String
    /// `gen_ai.operation.name`, or `other` for spans without one.
    public var operation: String

    public init(windowStart: Int64, windowSeconds: Int32, app: String, environment: String, operation: String) {
        self.windowStart = windowStart
        self.windowSeconds = windowSeconds
        self.app = app
        self.environment = environment
        self.operation = operation
    }

    public static func < (a: SpanCountKey, b: SpanCountKey) -> Bool {
        (a.windowStart, a.windowSeconds, a.app, a.environment, a.operation)
            < (b.windowStart, b.windowSeconds, b.app, b.environment, b.operation)
    }
}

/// Counts of one key; they add when merged, like every aggregate.
public struct SpanCount: Sendable, Equatable {
    public var spans: Int64 = 0
    public var errors: Int64 = 0

    public init(spans: Int64 = 0, errors: Int64 = 0) {
        self.spans = spans
        self.errors = errors
    }

    public mutating func merge(_ other: SpanCount) {
        spans.saturatingAdd(other.spans)
        errors.saturatingAdd(other.errors)
    }
}
