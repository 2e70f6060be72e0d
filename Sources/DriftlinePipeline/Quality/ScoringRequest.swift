public import DriftlineStore

/// A sampled response on its way to the scorer: what to score and where its result is stored.
public struct ScoringRequest: Sendable, Equatable {
    /// The request id, or `kafka:topic/partition/offset#index` for an event without one.
    public var id: String
    public var traceID: String?
    public var eventTimeMicroseconds: Int64
    /// The event's window with every dimension's value.
    public var window: WindowKey
    public var stratum: QualityStratum
    public var rate: Double
    public var response: String
    /// The grounding passages: retrieved context, or the prompt.
    public var context: [String]

    public init(
        id: String, traceID: String?, eventTimeMicroseconds: Int64, window: WindowKey, stratum: QualityStratum,
        rate: Double, response: String, context: [String]
    ) {
        self.id = id
        self.traceID = traceID
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.window = window
        self.stratum = stratum
        self.rate = rate
        self.response = response
        self.context = context
    }
}

/// Why a sampled response was not queued for scoring.
public enum ShedReason: String, Sendable, Hashable, CaseIterable {
    /// The queue held `quality.queue_capacity` samples: the scorer is behind.
    case queueFull = "queue_full"
    /// No scorer runs: it failed to load, or the pipeline is stopping.
    case noScorer = "no_scorer"
    /// Response and context longer than `quality.max_text_bytes`.
    case tooLong = "too_long"
}
