public import Foundation

/// Faithfulness scoring with a user's cross-encoder (an NLI model such as an MNLI BERT, or a
/// fact-checking model such as MiniCheck-RoBERTa): chunked entailment as in SummaC-ZS (Laban et
/// al., 2022, §3) and MiniCheck (Tang et al., 2024, §4).
///
/// The response is split into claim sentences (`SentenceSplitter`) and each context passage
/// into chunks of whole sentences packed greedily up to the token budget the claim leaves in the
/// model's input. Every (chunk, claim) pair goes through the classifier with the chunk as the
/// premise (first sequence) and the claim as the hypothesis (second), which is the order NLI
/// and MiniCheck models were trained on. A claim's support is its best chunk's probability of
/// the support label (max over chunks: one passage that entails it is enough); the response's
/// score is its least supported claim's (min over claims: one unsupported claim makes the
/// response unfaithful). Those are SummaC-ZS's and MiniCheck's document-level aggregations.
///
/// No weights for such a model ship with Driftline (none is on PyPI); the path is tested with
/// small random-weight BERT and RoBERTa classifiers against a brute-force computation.
public final class CrossEncoderFaithfulnessScorer: FaithfulnessScoring {
    public let name: String
    public let version = "1"
    public let classifier: SequenceClassifier
    public let settings: Settings
    /// The class index whose probability is a claim's support (``supportLabelIndex(labels:override:)``).
    public let supportLabel: Int
    /// Special tokens of a pair input: 3 for BERT (`[CLS] A [SEP] B [SEP]`), 4 for RoBERTa.
    public let pairSpecialTokens: Int

    public struct Settings: Sendable, Equatable {
        /// The label (name, case-insensitive, or class index) whose probability is the support;
        /// nil finds it by name (``CrossEncoderFaithfulnessScorer/supportLabelIndex(labels:override:)``).
        public var supportLabel: String?
        /// A response is faithful when its score reaches this. 0.5 is the decision boundary of
        /// the model's own argmax for a 2-label model; calibrate it on labelled data of your own
        /// (`driftline faithfulness eval`) for anything else.
        public var threshold: Double
        /// Context chunks beyond this are not read: a bound on the work one sample can cause,
        /// claims × chunks forward passes (as the reference scorer's `maxContextWindows`).
        public var maxChunks: Int
        /// Response sentences beyond this are not scored, the other half of that bound.
        public var maxClaims: Int
        /// Pairs per forward pass.
        public var batchSize: Int
        /// Input length cap; nil uses the model's position table (512 for BERT and RoBERTa).
        public var maxLength: Int?

        public init(
            supportLabel: String? = nil, threshold: Double = 0.5, maxChunks: Int = 64, maxClaims: Int = 64,
            batchSize: Int = 16, maxLength: Int? = nil
        ) {
            self.supportLabel = supportLabel
            self.threshold = threshold
            self.maxChunks = maxChunks
            self.maxClaims = maxClaims
            self.batchSize = batchSize
            self.maxLength = maxLength
        }
    }

    /// Consecutive whole sentences of one context passage, sent to the model together.
    public struct Chunk: Sendable, Equatable {
        public var text: String
        /// Word pieces of `text`, special tokens excluded; above the budget only for a single
        /// sentence longer than it, which the model then sees truncated.
        public var tokenCount: Int
    }

    /// One response sentence and the chunk that supports it best.
    public struct ClaimSupport: Sendable, Equatable {
        public var claim: String
        public var support: Double
        public var bestChunk: String
    }

    /// Loads a sequence-classification model directory (config.json with `id2label`,
    /// model.safetensors, vocab.txt or tokenizer.json).
    public convenience init(directory: URL, settings: Settings = Settings()) throws(ModelError) {
        let classifier = try SequenceClassifier(directory: directory, maxLength: settings.maxLength)
        try self.init(classifier: classifier, modelName: directory.lastPathComponent, settings: settings)
    }

    public init(classifier: SequenceClassifier, modelName: String, settings: Settings = Settings())
        throws(ModelError)
    {
        guard (0...1).contains(settings.threshold) else {
            throw ModelError(.invalidConfiguration, "threshold \(settings.threshold) is outside [0, 1]")
        }
        guard settings.maxChunks >= 1, settings.maxClaims >= 1 else {
            throw ModelError(
                .invalidConfiguration,
                "max chunks \(settings.maxChunks) and max claims \(settings.maxClaims) must both be at least 1")
        }
        let specials = classifier.tokenizer.encode("", pair: "", maxLength: classifier.maxLength).ids.count
        // A claim may take half the input; the rest must still hold a useful piece of context.
        guard classifier.maxLength - specials >= 16 else {
            throw ModelError(
                .invalidConfiguration,
                "inputs of \(classifier.maxLength) tokens leave no room for a claim and its context")
        }
        let supportLabel = try Self.supportLabelIndex(labels: classifier.labels, override: settings.supportLabel)
        self.supportLabel = supportLabel
        self.classifier = classifier
        self.settings = settings
        self.pairSpecialTokens = specials
        // The label is part of the name: a score taken on another class is another measurement.
        self.name = "cross-encoder-\(modelName)-\(classifier.labels[supportLabel])"
    }

    /// Label names that mean "the premise supports the hypothesis", compared case-insensitively
    /// with the whole label: NLI models say "entailment", fact-checkers "supported" and the like.
    /// Whole-name comparison keeps "unsupported" and "not_entailment" out.
    public static let supportLabelNames: Set<String> = [
        "entailment", "entailed", "entails", "supported", "support", "supports", "consistent", "faithful",
    ]

    /// The class whose probability is the support, by these rules in order:
    /// 1. `override`, when given: a label name (case-insensitive) or a class index;
    /// 2. the first label named in ``supportLabelNames``;
    /// 3. a 2-label model with the default names `LABEL_0`/`LABEL_1`: class 1 (MiniCheck's
    ///    convention: 1 = supported; its config.json has no names);
    /// 4. a single-logit model: its sigmoid.
    /// Anything else is an error that lists the labels, so that the user can set one.
    public static func supportLabelIndex(labels: [String], override: String?) throws(ModelError) -> Int {
        let listed = labels.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", ")
        if let override {
            if let index = labels.firstIndex(where: { $0.lowercased() == override.lowercased() }) { return index }
            if let index = Int(override), labels.indices.contains(index) { return index }
            throw ModelError(
                .invalidConfiguration, "support label '\(override)' is not one of the model's labels (\(listed))")
        }
        if let index = labels.firstIndex(where: { supportLabelNames.contains($0.lowercased()) }) { return index }
        if labels.map({ $0.uppercased() }) == ["LABEL_0", "LABEL_1"] { return 1 }
        if labels.count == 1 { return 0 }
        throw ModelError(
            .invalidConfiguration,
            "cannot tell which of the model's labels (\(listed)) means supported; set the support label")
    }

    /// Word pieces a context chunk may have next to `claim`: what the input leaves after the
    /// special tokens and the claim, the claim counted at most half (a longer claim is cut by
    /// the tokenizer's longest-first truncation instead of the context).
    public func chunkBudget(claim: String) -> Int {
        let room = classifier.maxLength - pairSpecialTokens
        return room - min(classifier.tokenizer.tokenIds(claim).count, room / 2)
    }

    /// The context's chunks for a budget: each passage's sentences packed in order while the
    /// chunk's text still tokenises to at most `budget` word pieces; a chunk never spans two
    /// passages, and a sentence longer than the budget is a chunk of its own (truncated by the
    /// tokenizer). At most `settings.maxChunks`.
    public func chunks(context: [String], budget: Int) -> [Chunk] {
        let tokenizer = classifier.tokenizer
        var chunks: [Chunk] = []
        for passage in context {
            var current: [String] = []
            var count = 0
            func close() {
                if !current.isEmpty, chunks.count < settings.maxChunks {
                    chunks.append(Chunk(text: current.joined(separator: " "), tokenCount: count))
                }
                current = []
                count = 0
            }
            for sentence in SentenceSplitter.sentences(passage) {
                let own = tokenizer.tokenIds(sentence).count
                guard own > 0 else { continue }
                // The joined text is tokenised again: a word piece can change at the join
                // (RoBERTa's leading-space tokens), and the budget is about what the model sees.
                let joined =
                    current.isEmpty ? own : tokenizer.tokenIds((current + [sentence]).joined(separator: " ")).count
                if current.isEmpty || joined <= budget {
                    current.append(sentence)
                    count = joined
                } else {
                    close()
                    current = [sentence]
                    count = own
                }
            }
            close()
            if chunks.count >= settings.maxChunks { break }
        }
        return chunks
    }

    public func score(response: String, context: [String]) throws(ModelError) -> FaithfulnessScore {
        try analyse(response: response, context: context).score
    }

    /// The score together with every claim's support.
    public func analyse(response: String, context: [String]) throws(ModelError) -> (
        score: FaithfulnessScore, claims: [ClaimSupport]
    ) {
        let claims = SentenceSplitter.sentences(response).filter { !classifier.tokenizer.tokenIds($0).isEmpty }
            .prefix(settings.maxClaims)
        guard !claims.isEmpty else { throw ModelError(.invalidInput, "the response has no words to score") }
        // Claims of the same length share one chunking.
        var chunkings: [Int: [Chunk]] = [:]
        var pairs: [(text: String, pair: String?)] = []
        var claimChunks: [[Chunk]] = []
        for claim in claims {
            let budget = chunkBudget(claim: claim)
            let chunks = chunkings[budget] ?? chunks(context: context, budget: budget)
            chunkings[budget] = chunks
            guard !chunks.isEmpty else {
                throw ModelError(.invalidInput, "the context has no words to score the response against")
            }
            claimChunks.append(chunks)
            pairs += chunks.map { (text: $0.text, pair: claim) }
        }
        let predictions = try classifier.classify(pairs, batchSize: settings.batchSize)
        var supports: [ClaimSupport] = []
        var offset = 0
        for (claim, chunks) in zip(claims, claimChunks) {
            var best = 0
            var bestSupport = -1.0
            for index in chunks.indices {
                let support = Double(predictions[offset + index].probabilities[supportLabel])
                if support > bestSupport {
                    best = index
                    bestSupport = support
                }
            }
            supports.append(ClaimSupport(claim: claim, support: bestSupport, bestChunk: chunks[best].text))
            offset += chunks.count
        }
        let weakest = supports.indices.min { supports[$0].support < supports[$1].support } ?? 0
        let lexical = LexicalGrounding(response: response, context: context.joined(separator: "\n"))
        let score = FaithfulnessScore(
            score: supports[weakest].support, threshold: settings.threshold, weakestSentence: supports[weakest].claim,
            weakestSentenceScore: supports[weakest].support, bestContextMatch: supports[weakest].bestChunk,
            unsupportedTerms: lexical.unsupportedTerms)
        return (score, supports)
    }
}
