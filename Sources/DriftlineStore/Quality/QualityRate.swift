/// The hallucination rate of one group over a time range, rolled up from `dl_quality_samples`.
public struct QualityRate: Sendable, Equatable {
    public var group: String
    public var scored: Int64
    public var flagged: Int64
    /// Σw flagged / Σw over scored samples, w = 1 / stratum rate; nil without scored samples.
    public var rate: Double?
    /// Kish's effective sample size (Σw)² / Σw², at which the Wilson interval is taken.
    public var effectiveN: Double?
    public var lower: Double?
    public var upper: Double?

    public init(
        group: String, scored: Int64, flagged: Int64, rate: Double?, effectiveN: Double?, lower: Double?,
        upper: Double?
    ) {
        self.group = group
        self.scored = scored
        self.flagged = flagged
        self.rate = rate
        self.effectiveN = effectiveN
        self.lower = lower
        self.upper = upper
    }
}

/// A flagged sample with the evidence a person reads.
public struct FlaggedSample: Sendable, Equatable {
    public var requestID: String
    public var model: String
    public var score: Double
    public var weakestSentence: String?
    public var bestContextMatch: String?
    public var unsupportedTerms: [String]

    public init(
        requestID: String, model: String, score: Double, weakestSentence: String?, bestContextMatch: String?,
        unsupportedTerms: [String]
    ) {
        self.requestID = requestID
        self.model = model
        self.score = score
        self.weakestSentence = weakestSentence
        self.bestContextMatch = bestContextMatch
        self.unsupportedTerms = unsupportedTerms
    }
}
