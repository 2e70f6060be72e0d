import DriftlineModel
import Foundation
import Testing

/// Tiny random BERT and RoBERTa sequence classifiers against `transformers` in PyTorch
/// (Fixtures/make_model_fixtures.py): PyTorch ran padded batches with attention masks, the
/// encoder here packs sequences without padding, so the comparison also checks the masking.
@Suite struct SequenceClassifierTests {
    struct Case: Decodable {
        var text: String
        var pair: String?
        var ids: [Int32]
        var typeIds: [Int32]
        var logits: [Float]
    }

    struct Fixture: Decodable {
        var labels: [String]
        var bert: [Case]
        var roberta: [Case]
    }

    static func check(directory: String, cases: [Case], labels: [String]) throws {
        let classifier = try SequenceClassifier(directory: FixtureFiles.url(directory), maxLength: 64)
        #expect(classifier.labels == labels)
        let inputs = cases.map { TokenizedInput(ids: $0.ids, typeIds: $0.typeIds) }
        let fromIds = try classifier.classify(inputs)
        var worst: Float = 0
        for (prediction, expected) in zip(fromIds, cases) {
            worst = max(worst, maxAbsoluteDifference(prediction.logits, expected.logits))
        }
        #expect(worst <= 1e-4, "largest logit difference \(worst)")
        // From text, in other batches: the tokenizer and the pair template give the ids transformers
        // gave; a different packing changes only the GEMMs' summation order.
        let tokenized = cases.map { classifier.tokenizer.encode($0.text, pair: $0.pair, maxLength: 64) }
        #expect(tokenized == inputs)
        let fromText = try classifier.classify(cases.map { (text: $0.text, pair: $0.pair) }, batchSize: 5)
        let rebatched = zip(fromText, fromIds).map { maxAbsoluteDifference($0.logits, $1.logits) }.max() ?? 0
        #expect(rebatched <= 1e-4, "rebatching moved a logit by \(rebatched)")
        for prediction in fromIds {
            #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(
                prediction.label
                    == labels[prediction.logits.indices.max { prediction.logits[$0] < prediction.logits[$1] }!])
        }
    }

    @Test func bertLogitsMatchTransformers() throws {
        let fixture = try FixtureFiles.decode(Fixture.self, from: "tiny_classifier_logits.json")
        #expect(fixture.bert.count > 20)
        try Self.check(directory: "tiny-bert", cases: fixture.bert, labels: fixture.labels)
    }

    @Test func robertaLogitsMatchTransformers() throws {
        let fixture = try FixtureFiles.decode(Fixture.self, from: "tiny_classifier_logits.json")
        #expect(fixture.roberta.count > 20)
        try Self.check(directory: "tiny-roberta", cases: fixture.roberta, labels: fixture.labels)
    }

    @Test func aSequenceLongerThanThePositionTableIsRefused() throws {
        let classifier = try SequenceClassifier(directory: FixtureFiles.url("tiny-roberta"))
        let tooLong = TokenizedInput(ids: Array(repeating: 5, count: 65), typeIds: Array(repeating: 0, count: 65))
        #expect(throws: ModelError.self) { try classifier.classify([tooLong]) }
    }
}
