import Foundation

/// How the features become one score in [0, 1]: a logistic model whose slopes depend on the
/// response's length,
///
///     z = intercept + length · ℓ + Σ (weight + lengthWeight · ℓ) · feature,  ℓ = ln(1 + content words)
///     score = σ(z)
///
/// (ℓ clamped to the lengths the model was fitted on) and the verdict threshold on it. The
/// length term lets one model read a one-sentence abstractive answer and a long extractive one
/// differently: a token without support weighs more in a short response, and the same overlap
/// means less in a long one (docs/faithfulness.md measures what it adds).
public struct FaithfulnessCalibration: Sendable, Equatable {
    /// The features a term can read (their `--features-out` names are `FaithfulnessFeatures.CodingKeys`).
    public enum Feature: Sendable, Equatable, CaseIterable {
        case tokenPrecision
        case tokenPrecisionIDF
        case weakestSentencePrecision
        case weakestSentenceSimilarity
        case weakestContentTokenSimilarity
        case contentOverlap
        case bigramOverlap
        /// `min(count, 2)`: a third unsupported number says little more than a second.
        case unsupportedNumbers
        /// `min(count, 2)`, as numbers.
        case unsupportedNames

        public func value(_ features: FaithfulnessFeatures) -> Double {
            switch self {
            case .tokenPrecision: features.tokenPrecision
            case .tokenPrecisionIDF: features.tokenPrecisionIDF
            case .weakestSentencePrecision: features.weakestSentencePrecision
            case .weakestSentenceSimilarity: features.weakestSentenceSimilarity
            case .weakestContentTokenSimilarity: features.weakestContentTokenSimilarity
            case .contentOverlap: features.contentOverlap
            case .bigramOverlap: features.bigramOverlap
            case .unsupportedNumbers: Double(min(features.unsupportedNumbers, 2))
            case .unsupportedNames: Double(min(features.unsupportedNames, 2))
            }
        }
    }

    /// One feature's slope: `weight + lengthWeight · ℓ`.
    public struct Term: Sendable, Equatable {
        public var feature: Feature
        public var weight: Double
        public var lengthWeight: Double

        public init(_ feature: Feature, weight: Double, lengthWeight: Double) {
            self.feature = feature
            self.weight = weight
            self.lengthWeight = lengthWeight
        }
    }

    public var intercept: Double
    /// The coefficient of ℓ itself.
    public var length: Double
    public var terms: [Term]
    public var threshold: Double
    /// The response lengths (content words) of the rows the model was fitted on. A response
    /// outside is read as the nearest end: the fit says nothing about a 300-word answer, and
    /// extrapolating its slopes can turn their signs (an unsupported number would raise the score).
    public var contentWords: ClosedRange<Int>

    public init(intercept: Double, length: Double, terms: [Term], threshold: Double, contentWords: ClosedRange<Int>) {
        self.intercept = intercept
        self.length = length
        self.terms = terms
        self.threshold = threshold
        self.contentWords = contentWords
    }

    /// ℓ = ln(1 + the response's content words, clamped to `contentWords`).
    public func lengthTerm(_ features: FaithfulnessFeatures) -> Double {
        let words = min(max(features.responseContentWords, contentWords.lowerBound), contentWords.upperBound)
        return log(1 + Double(words))
    }

    public func score(_ features: FaithfulnessFeatures) -> Double {
        let ell = lengthTerm(features)
        var z = intercept + length * ell
        for term in terms { z += (term.weight + term.lengthWeight * ell) * term.feature.value(features) }
        return 1 / (1 + exp(-z))
    }

    /// Fitted on FRANK validation (671 rows; scripts/faithfulness/calibrate.py over the
    /// features `driftline faithfulness eval --features-out` writes): logistic regression on
    /// standardised features, ℓ and each feature's product with ℓ (not the unsupported numbers':
    /// they count against a response of any length), C = 30, every (source, label) cell weighted
    /// to the same total, so XSum's 26 supported rows count as much as CNN/DM's 217;
    /// threshold = the one maximising the mean of the two sources' balanced accuracies.
    /// Re-measure after any change to the features or the model:
    /// `driftline faithfulness eval ../shared/data/faithfulness/frank_valid.jsonl --features-out F.jsonl`
    /// then `python3 scripts/faithfulness/calibrate.py F.jsonl`.
    public static let frank = FaithfulnessCalibration(
        intercept: -15.6165, length: 1.6669,
        terms: [
            Term(.tokenPrecision, weight: 10.2487, lengthWeight: -1.6424),
            Term(.weakestSentenceSimilarity, weight: 16.4892, lengthWeight: -3.7325),
            Term(.weakestContentTokenSimilarity, weight: -15.3622, lengthWeight: 4.8740),
            Term(.contentOverlap, weight: 22.4630, lengthWeight: -7.1103),
            Term(.bigramOverlap, weight: -15.3186, lengthWeight: 5.8364),
            Term(.unsupportedNumbers, weight: -1.0534, lengthWeight: 0),
        ],
        threshold: 0.5096, contentWords: 2...65)

    /// The lexical-overlap baseline's threshold on `LexicalGrounding.contentOverlap`, measured the
    /// same way on the same rows.
    public static let lexicalBaselineThreshold = 0.6077
}
