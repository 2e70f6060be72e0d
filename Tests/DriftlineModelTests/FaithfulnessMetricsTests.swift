import DriftlineModel
import Testing

/// Balanced accuracy, ROC-AUC and the confusion matrix against scikit-learn 1.9.1 values and a
/// brute-force count over every (positive, negative) pair.
@Suite struct FaithfulnessMetricsTests {
    @Test func matchesScikitLearnOnTiedScores() throws {
        // roc_auc_score(y, s) = 0.78; balanced_accuracy_score(y, s >= 0.4) = 0.6.
        let labels = [0, 0, 1, 1, 1, 0, 1, 0, 0, 1].map { $0 == 1 }
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.65, 0.65]
        let metrics = BinaryClassificationMetrics(scores: scores, labels: labels, threshold: 0.4)
        #expect(abs(try #require(metrics.rocAUC) - 0.78) < 1e-12)
        #expect(abs(try #require(metrics.balancedAccuracy) - 0.6) < 1e-12)
        #expect(
            metrics.confusion
                == .init(truePositives: 4, falseNegatives: 1, falsePositives: 3, trueNegatives: 2))
    }

    @Test func aucEqualsThePairwiseCountOnRandomTiedScores() throws {
        var generator = SplitMix(seed: 7)
        for trial in 0..<50 {
            let count = 5 + trial
            // Scores on a coarse grid, so ties are frequent.
            let scores = (0..<count).map { _ in Double(generator.next() % 7) / 6 }
            let labels = (0..<count).map { _ in generator.next() % 3 == 0 }
            let positives = labels.filter { $0 }.count
            guard positives > 0, positives < count else {
                #expect(BinaryClassificationMetrics.rocAUC(scores: scores, labels: labels) == nil)
                continue
            }
            var wins = 0.0
            for i in 0..<count where labels[i] {
                for j in 0..<count where !labels[j] {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
                }
            }
            let expected = wins / Double(positives * (count - positives))
            let auc = try #require(BinaryClassificationMetrics.rocAUC(scores: scores, labels: labels))
            #expect(abs(auc - expected) < 1e-12)

            let threshold = Double(trial % 7) / 6
            let confusion = BinaryClassificationMetrics.confusion(scores: scores, labels: labels, threshold: threshold)
            let truePositives = zip(scores, labels).filter { $0.1 && $0.0 >= threshold }.count
            let trueNegatives = zip(scores, labels).filter { !$0.1 && $0.0 < threshold }.count
            let balanced =
                (Double(truePositives) / Double(positives) + Double(trueNegatives) / Double(count - positives)) / 2
            #expect(confusion.truePositives == truePositives)
            #expect(confusion.trueNegatives == trueNegatives)
            #expect(confusion.truePositives + confusion.falseNegatives == positives)
            #expect(abs(try #require(confusion.balancedAccuracy) - balanced) < 1e-12)
        }
    }

    @Test func undefinedWithoutBothClasses() {
        let metrics = BinaryClassificationMetrics(scores: [0.2, 0.9], labels: [true, true], threshold: 0.5)
        #expect(metrics.rocAUC == nil)
        #expect(metrics.balancedAccuracy == nil)
    }

    /// SplitMix64 (Steele, Lea, Flood 2014), for reproducible random cases.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
