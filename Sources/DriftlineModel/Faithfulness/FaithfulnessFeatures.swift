/// The evidence the reference scorer combines into one score, kept apart so the calibration can
/// be re-measured (`driftline faithfulness eval --features-out`) without re-running the model.
/// Its JSON form (snake_case keys, the names `FaithfulnessCalibration.Feature` and
/// scripts/faithfulness/calibrate.py use) is what `--features-out` writes.
public struct FaithfulnessFeatures: Sendable, Equatable, Codable {
    /// BERTScore-style precision: each response token's best cosine against any context token,
    /// averaged over the response's tokens with equal weights (Zhang et al. 2020, eq. 1).
    public var tokenPrecision: Double
    /// The same, each token weighted by its idf over the context's sentences (eq. 3).
    public var tokenPrecisionIDF: Double
    /// The lowest idf-weighted token precision of any response sentence.
    public var weakestSentencePrecision: Double
    /// The lowest, over the response's sentences, of the best cosine between the sentence's
    /// mean-pooled token states and any context sentence's.
    public var weakestSentenceSimilarity: Double
    /// The lowest best cosine of any response token that is neither punctuation nor a stop word:
    /// the least-supported content word piece (1 when the response has none).
    public var weakestContentTokenSimilarity: Double
    /// `LexicalGrounding.contentOverlap` and `.bigramOverlap`.
    public var contentOverlap: Double
    public var bigramOverlap: Double
    public var unsupportedNumbers: Int
    public var unsupportedNames: Int
    /// Response sentences whose negation differs from their best-matching context sentence's.
    public var negationMismatches: Int
    /// Of those, the sentences that negate what the context states (some context sentence has
    /// at least `ReferenceFaithfulnessScorer.restatementCoverage` of their content words, and
    /// every such sentence has fewer negation cues): a contradiction, not a paraphrase.
    public var negatedRestatements: Int
    /// Response sentences that restate a context sentence with a number or name of their own
    /// (`Contradictions`).
    public var substitutions: Int
    public var responseSentences: Int
    /// `LexicalGrounding.contentWords`.
    public var responseContentWords: Int

    enum CodingKeys: String, CodingKey {
        case tokenPrecision = "token_precision"
        case tokenPrecisionIDF = "token_precision_idf"
        case weakestSentencePrecision = "weakest_sentence_precision"
        case weakestSentenceSimilarity = "weakest_sentence_similarity"
        case weakestContentTokenSimilarity = "weakest_content_token_similarity"
        case contentOverlap = "content_overlap"
        case bigramOverlap = "bigram_overlap"
        case unsupportedNumbers = "unsupported_numbers"
        case unsupportedNames = "unsupported_names"
        case negationMismatches = "negation_mismatches"
        case negatedRestatements = "negated_restatements"
        case substitutions
        case responseSentences = "response_sentences"
        case responseContentWords = "response_content_words"
    }

    public init(
        tokenPrecision: Double, tokenPrecisionIDF: Double, weakestSentencePrecision: Double,
        weakestSentenceSimilarity: Double, weakestContentTokenSimilarity: Double, contentOverlap: Double,
        bigramOverlap: Double, unsupportedNumbers: Int, unsupportedNames: Int, negationMismatches: Int,
        negatedRestatements: Int = 0, substitutions: Int = 0, responseSentences: Int, responseContentWords: Int
    ) {
        self.substitutions = substitutions
        self.weakestContentTokenSimilarity = weakestContentTokenSimilarity
        self.responseContentWords = responseContentWords
        self.negatedRestatements = negatedRestatements
        self.tokenPrecision = tokenPrecision
        self.tokenPrecisionIDF = tokenPrecisionIDF
        self.weakestSentencePrecision = weakestSentencePrecision
        self.weakestSentenceSimilarity = weakestSentenceSimilarity
        self.contentOverlap = contentOverlap
        self.bigramOverlap = bigramOverlap
        self.unsupportedNumbers = unsupportedNumbers
        self.unsupportedNames = unsupportedNames
        self.negationMismatches = negationMismatches
        self.responseSentences = responseSentences
    }
}
