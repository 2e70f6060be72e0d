import Foundation

/// How the features become one score in [0, 1]: a logistic model
/// `σ(intercept + Σ coefficient · feature)`, and the verdict threshold on it.
public struct FaithfulnessCalibration: Sendable, Equatable {
    public var intercept: Double
    public var tokenPrecisionIDF: Double
    public var weakestSentencePrecision: Double
    public var weakestSentenceSimilarity: Double
    public var contentOverlap: Double
    public var bigramOverlap: Double
    /// Applied to `min(count, 2)`: a third unsupported number says little more than a second.
    public var unsupportedNumbers: Double
    public var unsupportedNames: Double
    public var negationMismatch: Double
    public var threshold: Double

    public init(
        intercept: Double, tokenPrecisionIDF: Double, weakestSentencePrecision: Double,
        weakestSentenceSimilarity: Double, contentOverlap: Double, bigramOverlap: Double, unsupportedNumbers: Double,
        unsupportedNames: Double, negationMismatch: Double, threshold: Double
    ) {
        self.intercept = intercept
        self.tokenPrecisionIDF = tokenPrecisionIDF
        self.weakestSentencePrecision = weakestSentencePrecision
        self.weakestSentenceSimilarity = weakestSentenceSimilarity
        self.contentOverlap = contentOverlap
        self.bigramOverlap = bigramOverlap
        self.unsupportedNumbers = unsupportedNumbers
        self.unsupportedNames = unsupportedNames
        self.negationMismatch = negationMismatch
        self.threshold = threshold
    }

    public func score(_ features: FaithfulnessFeatures) -> Double {
        let z =
            intercept + tokenPrecisionIDF * features.tokenPrecisionIDF
            + weakestSentencePrecision * features.weakestSentencePrecision
            + weakestSentenceSimilarity * features.weakestSentenceSimilarity
            + contentOverlap * features.contentOverlap + bigramOverlap * features.bigramOverlap
            + unsupportedNumbers * Double(min(features.unsupportedNumbers, 2))
            + unsupportedNames * Double(min(features.unsupportedNames, 2))
            + negationMismatch * Double(min(features.negationMismatches, 1))
        return 1 / (1 + exp(-z))
    }

    /// Fitted on FRANK validation (671 rows; scripts/faithfulness/calibrate.py over the
    /// features `driftline faithfulness eval --features-out` writes): logistic regression with
    /// every (source, label) cell weighted to the same total, so XSum's 26 supported rows count
    /// as much as CNN/DM's 217; threshold = the one maximising the mean of the two sources'
    /// balanced accuracies. Re-measure after any change to the features or the model:
    /// `driftline faithfulness eval ../shared/data/faithfulness/frank_valid.jsonl --features-out F.jsonl`
    /// then `python3 scripts/faithfulness/calibrate.py F.jsonl`.
    public static let frank = FaithfulnessCalibration(
        intercept: -4.4998, tokenPrecisionIDF: -6.0361, weakestSentencePrecision: 3.0783,
        weakestSentenceSimilarity: 4.0323, contentOverlap: 5.0312, bigramOverlap: -0.6289, unsupportedNumbers: -1.0403,
        unsupportedNames: -0.4597, negationMismatch: 0.1044, threshold: 0.5344)

    /// The lexical-overlap baseline's threshold on `LexicalGrounding.contentOverlap`, measured the
    /// same way on the same rows.
    public static let lexicalBaselineThreshold = 0.6154
}
