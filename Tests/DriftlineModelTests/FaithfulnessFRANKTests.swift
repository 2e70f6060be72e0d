import DriftlineModel
import Foundation
import Testing

/// The reference scorer on FRANK validation (../shared/data/faithfulness/frank_valid.jsonl beside
/// the repository; DRIFTLINE_FRANK_FILE overrides): per source, it beats the lexical-overlap
/// baseline the same evaluation computes. The article texts are read from there, never copied.
@Suite struct FaithfulnessFRANKTests {
    static var frankFile: URL {
        if let path = ProcessInfo.processInfo.environment["DRIFTLINE_FRANK_FILE"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/faithfulness/frank_valid.jsonl")
    }

    @Test func beatsTheLexicalBaselinePerSource() throws {
        let text = try String(contentsOf: Self.frankFile, encoding: .utf8)
        let set = try FaithfulnessEvaluationSet(jsonLines: text)
        #expect(set.rows.count == 671)
        let evaluation = try FaithfulnessEvaluation(set: set, scorer: ReferenceFaithfulnessScorer())
        let groups = Dictionary(uniqueKeysWithValues: evaluation.groups.map { ($0.name, $0) })
        for source in ["cnndm", "xsum"] {
            let group = try #require(groups[source])
            let scorer = try #require(group.scorer.balancedAccuracy)
            let baseline = try #require(group.baseline.balancedAccuracy)
            #expect(scorer > baseline, "\(source): balanced accuracy \(scorer) vs baseline \(baseline)")
            let scorerAUC = try #require(group.scorer.rocAUC)
            let baselineAUC = try #require(group.baseline.rocAUC)
            #expect(scorerAUC > baselineAUC, "\(source): ROC-AUC \(scorerAUC) vs baseline \(baselineAUC)")
        }
    }
}
