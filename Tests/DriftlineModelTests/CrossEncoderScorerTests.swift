import DriftlineModel
import Foundation
import Testing

/// The cross-encoder scorer with the tiny random BERT and RoBERTa classifiers of
/// SequenceClassifierTests (inputs of at most 64 tokens, so that a few sentences already fill a
/// chunk). Random weights say nothing about quality; the oracle is a brute-force computation:
/// the test chunks the context itself and asks the classifier about one pair at a time.
@Suite struct CrossEncoderScorerTests {
    static let context = [
        """
        The city council voted on Tuesday to approve a new public library. The building will cost 12 million \
        dollars. It is expected to open in 2026. The mayor said the library would include a reading room. \
        A cafe will be on the ground floor.
        """,
        "The vote passed by seven votes to two. The debate lasted three hours.",
        "Revenue grew 12% in 2023. The cat sat on the mat.",
    ]

    static let response = """
        The council approved a new library on Tuesday. It will cost 45 million dollars. \
        The vote was close. The cat sat on the mat.
        """

    static func classifier(_ fixture: String) throws -> SequenceClassifier {
        try SequenceClassifier(directory: FixtureFiles.url(fixture), maxLength: 64)
    }

    /// The brute-force score: each claim against the test's own chunking, one pair per forward
    /// pass; min over claims of max over chunks.
    static func bruteForce(
        _ classifier: SequenceClassifier, response: String, context: [String], label: Int
    ) throws -> (score: Double, claim: String, chunk: String) {
        let tokenizer = classifier.tokenizer
        let specials = tokenizer.encode("", pair: "", maxLength: 64).ids.count
        var weakest = (score: 2.0, claim: "", chunk: "")
        for claim in SentenceSplitter.sentences(response) {
            let room = classifier.maxLength - specials
            let budget = room - min(tokenizer.tokenIds(claim).count, room / 2)
            var chunks: [String] = []
            for passage in context {
                var current = ""
                for sentence in SentenceSplitter.sentences(passage) {
                    let candidate = current.isEmpty ? sentence : current + " " + sentence
                    if current.isEmpty || tokenizer.tokenIds(candidate).count <= budget {
                        current = candidate
                    } else {
                        chunks.append(current)
                        current = sentence
                    }
                }
                if !current.isEmpty { chunks.append(current) }
            }
            var best = (score: -1.0, chunk: "")
            for chunk in chunks {
                let support = Double(
                    try classifier.classify([(text: chunk, pair: claim)], batchSize: 1)[0].probabilities[label])
                if support > best.score { best = (support, chunk) }
            }
            if best.score < weakest.score { weakest = (best.score, claim, best.chunk) }
        }
        return weakest
    }

    @Test(arguments: ["tiny-bert", "tiny-roberta"])
    func theScoreIsTheWeakestClaimsBestChunk(fixture: String) throws {
        let classifier = try Self.classifier(fixture)
        let scorer = try CrossEncoderFaithfulnessScorer(classifier: classifier, modelName: fixture)
        // The fixtures' labels are supported, neutral, unsupported.
        #expect(scorer.supportLabel == 0)
        #expect(scorer.name == "cross-encoder-\(fixture)-supported")
        let (score, claims) = try scorer.analyse(response: Self.response, context: Self.context)
        let expected = try Self.bruteForce(classifier, response: Self.response, context: Self.context, label: 0)
        #expect(abs(score.score - expected.score) < 1e-5, "\(score.score) vs \(expected.score)")
        #expect(score.weakestSentence == expected.claim)
        #expect(score.bestContextMatch == expected.chunk)
        #expect(score.weakestSentenceScore == score.score)
        #expect(score.threshold == 0.5)
        #expect(score.unsupportedTerms == ["45"])
        #expect(claims.count == 4)
        #expect(claims.map(\.support).min() == score.score)
        // Several chunks per claim, or the max would test nothing.
        let chunks = scorer.chunks(context: Self.context, budget: scorer.chunkBudget(claim: claims[0].claim))
        #expect(chunks.count > Self.context.count, "\(chunks.count) chunks")
    }

    @Test func chunksHoldWholeSentencesWithinTheBudget() throws {
        let classifier = try Self.classifier("tiny-roberta")
        let scorer = try CrossEncoderFaithfulnessScorer(classifier: classifier, modelName: "tiny-roberta")
        let tokenizer = classifier.tokenizer
        let claim = "The council approved a new library on Tuesday."
        let budget = scorer.chunkBudget(claim: claim)
        let claimTokens = tokenizer.tokenIds(claim).count
        #expect(budget == 64 - scorer.pairSpecialTokens - claimTokens)
        #expect(scorer.pairSpecialTokens == 4)
        let chunks = scorer.chunks(context: Self.context, budget: budget)
        // Every sentence once, in order, none split, no chunk spanning two passages.
        let sentences = Self.context.map(SentenceSplitter.sentences)
        #expect(chunks.flatMap { SentenceSplitter.sentences($0.text) } == sentences.flatMap { $0 })
        for chunk in chunks {
            #expect(sentences.contains { $0.joined(separator: " ").contains(chunk.text) })
            #expect(chunk.tokenCount == tokenizer.tokenIds(chunk.text).count)
            #expect(chunk.tokenCount <= budget)
            // The pair fits whole: the tokenizer truncates neither side.
            let input = tokenizer.encode(chunk.text, pair: claim, maxLength: 64)
            #expect(input.ids.count == scorer.pairSpecialTokens + chunk.tokenCount + claimTokens)
        }
        // Greedy: the next sentence of the same passage would not have fitted.
        for (chunk, following) in zip(chunks, chunks.dropFirst()) {
            guard let sentence = SentenceSplitter.sentences(following.text).first,
                sentences.contains(where: { $0.joined(separator: " ").contains(chunk.text + " " + following.text) })
            else { continue }
            #expect(tokenizer.tokenIds(chunk.text + " " + sentence).count > budget)
        }
    }

    @Test func aSentenceLongerThanTheBudgetIsAChunkOfItsOwnAndTruncated() throws {
        let classifier = try Self.classifier("tiny-bert")
        let scorer = try CrossEncoderFaithfulnessScorer(classifier: classifier, modelName: "tiny-bert")
        let long = Array(repeating: "the building will cost twelve million dollars and", count: 8).joined(
            separator: " ")
        let context = ["A short one. \(long) end. Another short one."]
        let claim = "It costs a lot."
        let budget = scorer.chunkBudget(claim: claim)
        let chunks = scorer.chunks(context: context, budget: budget)
        #expect(chunks.map(\.text) == ["A short one.", "\(long) end.", "Another short one."])
        #expect(chunks[1].tokenCount > budget)
        let input = classifier.tokenizer.encode(chunks[1].text, pair: claim, maxLength: 64)
        #expect(input.ids.count == 64)
        // The claim is kept whole; the chunk lost its tail.
        let claimIds = classifier.tokenizer.tokenIds(claim)
        #expect(Array(input.ids.suffix(claimIds.count + 1).dropLast()) == claimIds)
        let score = try scorer.score(response: claim, context: context)
        let expected = try Self.bruteForce(classifier, response: claim, context: context, label: 0)
        #expect(abs(score.score - expected.score) < 1e-5)
    }

    @Test func chunksAreBounded() throws {
        let scorer = try CrossEncoderFaithfulnessScorer(
            classifier: try Self.classifier("tiny-bert"), modelName: "tiny-bert",
            settings: .init(maxChunks: 2))
        #expect(scorer.chunks(context: Self.context, budget: 30).count == 2)
        let score = try scorer.analyse(response: Self.response, context: Self.context)
        #expect(score.claims.count == 4)
    }

    @Test func labelsResolveByNameThenByConvention() throws {
        let resolve = CrossEncoderFaithfulnessScorer.supportLabelIndex
        #expect(try resolve(["contradiction", "neutral", "entailment"], nil) == 2)
        #expect(try resolve(["ENTAILMENT", "NEUTRAL", "CONTRADICTION"], nil) == 0)
        #expect(try resolve(["not_entailment", "entailment"], nil) == 1)
        #expect(try resolve(["unsupported", "supported"], nil) == 1)
        #expect(try resolve(["LABEL_0", "LABEL_1"], nil) == 1)
        #expect(try resolve(["LABEL_0"], nil) == 0)
        // An explicit choice wins, by name (any case) or index.
        #expect(try resolve(["contradiction", "neutral", "entailment"], "Neutral") == 1)
        #expect(try resolve(["LABEL_0", "LABEL_1"], "0") == 0)
        #expect(try resolve(["LABEL_0", "LABEL_1", "LABEL_2"], "LABEL_2") == 2)
        for (labels, override) in [
            (["LABEL_0", "LABEL_1", "LABEL_2"], nil), (["yes", "no"], nil), (["entailment", "neutral"], "other"),
            (["entailment", "neutral"], "2"),
        ] as [([String], String?)] {
            do {
                _ = try resolve(labels, override)
                Issue.record("expected no support label for \(labels), \(override ?? "nil")")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.message.contains("0: \(labels[0])"), "\(error)")
                #expect(error.message.contains("\(labels.count - 1): \(labels[labels.count - 1])"), "\(error)")
            }
        }
    }

    /// A copy of the tiny BERT with other label names, loaded from its directory.
    static func relabelled(_ labels: [String]) throws -> URL {
        let source = FixtureFiles.url("tiny-bert")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftline-xenc-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: directory)
        let url = directory.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        config["id2label"] = Dictionary(
            uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
        config["label2id"] = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, $0.offset) })
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        return directory
    }

    @Test func aModelDirectorysLabelsChooseTheClass() throws {
        let nli = try Self.relabelled(["contradiction", "neutral", "ENTAILMENT"])
        defer { try? FileManager.default.removeItem(at: nli) }
        let scorer = try CrossEncoderFaithfulnessScorer(directory: nli, settings: .init(maxLength: 64))
        #expect(scorer.supportLabel == 2)
        let expected = try Self.bruteForce(
            scorer.classifier, response: Self.response, context: Self.context, label: 2)
        let score = try scorer.score(response: Self.response, context: Self.context)
        #expect(abs(score.score - expected.score) < 1e-5)
        #expect(score.weakestSentence == expected.claim)

        let unnamed = try Self.relabelled(["a", "b", "c"])
        defer { try? FileManager.default.removeItem(at: unnamed) }
        #expect {
            try CrossEncoderFaithfulnessScorer(directory: unnamed, settings: .init(maxLength: 64))
        } throws: { error in
            "\(error)".contains("0: a, 1: b, 2: c") && "\(error)".contains("set the support label")
        }
        let chosen = try CrossEncoderFaithfulnessScorer(
            directory: unnamed, settings: .init(supportLabel: "C", maxLength: 64))
        #expect(chosen.supportLabel == 2)
        #expect(chosen.name.hasSuffix("-c"))
    }

    @Test func emptyInputsAreRejectedWithTheReason() throws {
        let scorer = try CrossEncoderFaithfulnessScorer(classifier: try Self.classifier("tiny-bert"), modelName: "t")
        for response in ["", "  \n ", "..."] {
            #expect {
                try scorer.score(response: response, context: Self.context)
            } throws: { error in
                "\(error)".contains("the response has no words")
            }
        }
        for context in [[], [""], [" ", "\n\n"]] as [[String]] {
            #expect {
                try scorer.score(response: Self.response, context: context)
            } throws: { error in
                "\(error)".contains("the context has no words")
            }
        }
    }

    @Test func badSettingsAreRefused() throws {
        let classifier = try Self.classifier("tiny-bert")
        #expect(throws: ModelError.self) {
            try CrossEncoderFaithfulnessScorer(classifier: classifier, modelName: "t", settings: .init(threshold: 1.5))
        }
        #expect(throws: ModelError.self) {
            try CrossEncoderFaithfulnessScorer(classifier: classifier, modelName: "t", settings: .init(maxChunks: 0))
        }
        let tight = try CrossEncoderFaithfulnessScorer(
            classifier: classifier, modelName: "t", settings: .init(threshold: 0.9))
        #expect(try tight.score(response: Self.response, context: Self.context).threshold == 0.9)
    }

    @Test func theEvaluationReportsACrossEncoderByName() throws {
        let scorer = try CrossEncoderFaithfulnessScorer(classifier: try Self.classifier("tiny-bert"), modelName: "tiny")
        let set = try FaithfulnessEvaluationSet(
            jsonLines: """
                {"id": "a", "doc": "The cat sat on the mat. Revenue grew 12% in 2023.", "claim": "The cat sat on the mat.", "label": 1}
                {"id": "b", "doc": "The vote passed by seven votes to two.", "claim": "The vote failed 9 to 0.", "label": 0}
                """)
        let evaluation = try FaithfulnessEvaluation(set: set, scorer: scorer)
        #expect(evaluation.results.count == 2)
        for result in evaluation.results {
            #expect(result.features == nil)
            #expect(
                result.score == (try scorer.score(response: result.row.response, context: [result.row.context])))
        }
        #expect(evaluation.report.hasPrefix("scorer: cross-encoder-tiny-supported, threshold 0.5000"))
    }
}
