/// One scored sample as `dl_quality_samples` stores it.
public struct QualitySampleRecord: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case faithful, unfaithful
        /// The scorer failed on this sample; stored so the failure is visible and not retried.
        case error
    }

    /// The request id, or one derived from topic, partition and offset: the key that makes a
    /// replayed sample count once.
    public var requestID: String
    public var traceID: String?
    public var eventTimeMicroseconds: Int64
    /// The window and the dimensions: the window of the event's aggregates, with every
    /// dimension's value (not only the configured ones), so samples can be drilled into.
    public var window: WindowKey
    public var stratum: String
    public var rate: Double
    public var verdict: Verdict
    public var score: Double?
    public var threshold: Double?
    public var scorerName: String
    public var scorerVersion: String
    /// A JSON object: `weakest_sentence`, `weakest_sentence_score`, `best_context_match`,
    /// `unsupported_terms`, or `error`.
    public var detailJSON: String
    public var latencyMilliseconds: Double

    public init(
        requestID: String, traceID: String?, eventTimeMicroseconds: Int64, window: WindowKey, stratum: String,
        rate: Double, verdict: Verdict, score: Double?, threshold: Double?, scorerName: String, scorerVersion: String,
        detailJSON: String, latencyMilliseconds: Double
    ) {
        self.requestID = requestID
        self.traceID = traceID
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.window = window
        self.stratum = stratum
        self.rate = rate
        self.verdict = verdict
        self.score = score
        self.threshold = threshold
        self.scorerName = scorerName
        self.scorerVersion = scorerVersion
        self.detailJSON = detailJSON
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// The Horvitz–Thompson weight: the number of eligible events this sample stands for.
    public var weight: Double { 1 / rate }
}
