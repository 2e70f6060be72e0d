/// Metrics of scores against binary labels (1 = positive), as `sklearn.metrics` defines them.
public struct BinaryClassificationMetrics: Sendable, Equatable {
    public struct Confusion: Sendable, Equatable {
        public var truePositives = 0
        public var falseNegatives = 0
        public var falsePositives = 0
        public var trueNegatives = 0

        public init(truePositives: Int = 0, falseNegatives: Int = 0, falsePositives: Int = 0, trueNegatives: Int = 0) {
            self.truePositives = truePositives
            self.falseNegatives = falseNegatives
            self.falsePositives = falsePositives
            self.trueNegatives = trueNegatives
        }

        /// `(recall of positives + recall of negatives) / 2` (`balanced_accuracy_score`); nil
        /// when a class has no example.
        public var balancedAccuracy: Double? {
            let positives = truePositives + falseNegatives
            let negatives = trueNegatives + falsePositives
            guard positives > 0, negatives > 0 else { return nil }
            return (Double(truePositives) / Double(positives) + Double(trueNegatives) / Double(negatives)) / 2
        }
    }

    public var confusion: Confusion
    public var rocAUC: Double?

    /// `score >= threshold` is a positive prediction.
    public init(scores: [Double], labels: [Bool], threshold: Double) {
        confusion = Self.confusion(scores: scores, labels: labels, threshold: threshold)
        rocAUC = Self.rocAUC(scores: scores, labels: labels)
    }

    public var balancedAccuracy: Double? { confusion.balancedAccuracy }

    public static func confusion(scores: [Double], labels: [Bool], threshold: Double) -> Confusion {
        var confusion = Confusion()
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label) {
            case (true, true): confusion.truePositives += 1
            case (false, true): confusion.falseNegatives += 1
            case (true, false): confusion.falsePositives += 1
            case (false, false): confusion.trueNegatives += 1
            }
        }
        return confusion
    }

    /// The area under the ROC curve as the Mann–Whitney statistic: the probability that a random
    /// positive scores above a random negative, a tie counting one half (equal to the trapezoidal
    /// area `roc_auc_score` computes). Tied scores get their mean rank. Nil without both classes.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            // Ranks start + 1 ... end + 1 share their mean.
            let rank = Double(start + end + 2) / 2
            for position in start...end where labels[order[position]] { rankSum += rank }
            start = end + 1
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }
}
