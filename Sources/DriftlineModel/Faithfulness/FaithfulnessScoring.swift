/// Scores whether a response is supported by its grounding context. The scoring service calls
/// it off the ingest path, one sample at a time, from its own task(s).
public protocol FaithfulnessScoring: Sendable {
    /// Stored with every score, so a change of scorer or calibration is visible in the samples.
    var name: String { get }
    var version: String { get }

    /// The response's score in [0, 1] (1 = fully supported) and the verdict at the calibrated
    /// threshold; `context` holds the grounding passages (retrieved documents, or the prompt).
    func score(response: String, context: [String]) throws(ModelError) -> FaithfulnessScore
}

/// One scored response, with the evidence a person reads to see why it was flagged.
public struct FaithfulnessScore: Sendable, Equatable {
    /// In [0, 1]; higher is better supported.
    public var score: Double
    /// The threshold the verdict was taken at.
    public var threshold: Double
    /// The response sentence with the least support, and the context passage that supports it best.
    public var weakestSentence: String?
    public var weakestSentenceScore: Double?
    public var bestContextMatch: String?
    /// Lexical grounding evidence: numbers, names, dates of the response absent from the context.
    public var unsupportedTerms: [String]

    public init(
        score: Double, threshold: Double, weakestSentence: String? = nil, weakestSentenceScore: Double? = nil,
        bestContextMatch: String? = nil, unsupportedTerms: [String] = []
    ) {
        self.score = score
        self.threshold = threshold
        self.weakestSentence = weakestSentence
        self.weakestSentenceScore = weakestSentenceScore
        self.bestContextMatch = bestContextMatch
        self.unsupportedTerms = unsupportedTerms
    }

    /// Supported when the score reaches the threshold.
    public var isFaithful: Bool { score >= threshold }
}
