import Foundation

/// A scorer run over an evaluation set, next to the lexical-overlap baseline on the same rows:
/// per source and overall, balanced accuracy at the calibrated thresholds, ROC-AUC, confusion
/// matrices, and the scorer's speed.
public struct FaithfulnessEvaluation: Sendable {
    public struct Result: Sendable {
        public var row: FaithfulnessEvaluationSet.Row
        public var score: FaithfulnessScore
        /// The reference scorer's features; nil for another scorer.
        public var features: FaithfulnessFeatures?
        /// `LexicalGrounding.contentOverlap`: the baseline's score.
        public var baselineScore: Double
        public var seconds: Double
    }

    /// One group's figures (a source, or all rows).
    public struct Group: Sendable {
        public var name: String
        public var count: Int
        public var supported: Int
        public var scorer: BinaryClassificationMetrics
        public var baseline: BinaryClassificationMetrics
    }

    public var results: [Result]
    /// What the report calls the scorer: "reference", or another scorer's name.
    public var scorerName: String
    public var wallSeconds: Double
    public var baselineThreshold: Double

    /// Scores every row, one at a time as the scoring service does, keeping the features.
    public init(
        set: FaithfulnessEvaluationSet, scorer: ReferenceFaithfulnessScorer,
        baselineThreshold: Double = FaithfulnessCalibration.lexicalBaselineThreshold
    ) throws(ModelError) {
        try self.init(set: set, scorerName: "reference", baselineThreshold: baselineThreshold) {
            row throws(ModelError) in
            let (score, features) = try scorer.analyse(response: row.response, context: [row.context])
            return (score, features, features.contentOverlap)
        }
    }

    /// Scores every row with any scorer (a cross-encoder); the baseline is computed on the side.
    public init(
        set: FaithfulnessEvaluationSet, scorer: any FaithfulnessScoring,
        baselineThreshold: Double = FaithfulnessCalibration.lexicalBaselineThreshold
    ) throws(ModelError) {
        try self.init(set: set, scorerName: scorer.name, baselineThreshold: baselineThreshold) {
            row throws(ModelError) in
            let score = try scorer.score(response: row.response, context: [row.context])
            return (score, nil, LexicalGrounding(response: row.response, context: row.context).contentOverlap)
        }
    }

    init(
        set: FaithfulnessEvaluationSet, scorerName: String, baselineThreshold: Double,
        score: (FaithfulnessEvaluationSet.Row) throws(ModelError) -> (
            FaithfulnessScore, FaithfulnessFeatures?, baseline: Double
        )
    ) throws(ModelError) {
        var results: [Result] = []
        let start = ContinuousClock.now
        for row in set.rows {
            let rowStart = ContinuousClock.now
            let (score, features, baseline) = try score(row)
            let seconds = Self.seconds(ContinuousClock.now - rowStart)
            results.append(
                Result(row: row, score: score, features: features, baselineScore: baseline, seconds: seconds))
        }
        self.results = results
        self.scorerName = scorerName
        self.wallSeconds = Self.seconds(ContinuousClock.now - start)
        self.baselineThreshold = baselineThreshold
    }

    /// Every source in order of first appearance, then all rows (when there is more than one
    /// source).
    public var groups: [Group] {
        var sources: [String] = []
        for result in results {
            let source = result.row.source ?? "(no source)"
            if !sources.contains(source) { sources.append(source) }
        }
        var groups = sources.map { source in
            group(source, results.filter { ($0.row.source ?? "(no source)") == source })
        }
        if sources.count != 1 { groups.append(group("all", results)) }
        return groups
    }

    func group(_ name: String, _ results: [Result]) -> Group {
        let labels = results.map(\.row.supported)
        return Group(
            name: name, count: results.count, supported: labels.filter { $0 }.count,
            scorer: BinaryClassificationMetrics(
                scores: results.map(\.score.score), labels: labels,
                threshold: results.first?.score.threshold ?? 0.5),
            baseline: BinaryClassificationMetrics(
                scores: results.map(\.baselineScore), labels: labels, threshold: baselineThreshold))
    }

    /// The `q`-quantile of the per-row latencies (nearest rank).
    public func latency(quantile q: Double) -> Double {
        let sorted = results.map(\.seconds).sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    public var report: String {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        func matrix(_ confusion: BinaryClassificationMetrics.Confusion) -> String {
            "TP \(confusion.truePositives) FN \(confusion.falseNegatives) FP \(confusion.falsePositives) "
                + "TN \(confusion.trueNegatives)"
        }
        var lines: [String] = []
        let threshold = results.first?.score.threshold ?? 0
        lines.append(
            String(
                format: "scorer: %@, threshold %.4f; baseline: lexical content-word overlap, threshold %.4f",
                scorerName, threshold, baselineThreshold))
        for group in groups {
            lines.append(
                "\(group.name): \(group.count) rows, \(group.supported) supported\n"
                    + "  scorer:   balanced accuracy \(figure(group.scorer.balancedAccuracy)), ROC-AUC \(figure(group.scorer.rocAUC)), "
                    + matrix(group.scorer.confusion) + "\n"
                    + "  baseline: balanced accuracy \(figure(group.baseline.balancedAccuracy)), ROC-AUC \(figure(group.baseline.rocAUC)), "
                    + matrix(group.baseline.confusion))
        }
        lines.append(
            String(
                format: "speed: %.1f examples/s; latency p50 %.1f ms, p99 %.1f ms (one example at a time)",
                Double(results.count) / max(wallSeconds, 1e-9), latency(quantile: 0.5) * 1000,
                latency(quantile: 0.99) * 1000))
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
