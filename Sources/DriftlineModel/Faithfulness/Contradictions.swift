/// The response sentences that restate a context sentence and contradict it, which overlap
/// features cannot see (their overlap is nearly perfect):
///
/// - a **negated restatement**: some context sentence has at least
///   `ReferenceFaithfulnessScorer.restatementCoverage` of the claim's content words (negation cues
///   aside), and every such sentence has fewer negation cues than the claim ("voted not to
///   approve" against "voted to approve"). Only this direction counts: the other (a claim without
///   its context sentence's negation) flagged 59 FRANK rows, half of them supported — in long news
///   sentences the negation often belongs to another clause.
/// - a **substitution**: the claim has a number or a name the context never uses, and some context
///   sentence has the coverage above of its other content words, at least
///   `substitutionMinimumWords` of them ("will cost 45 million dollars" against "will cost 12
///   million dollars").
struct Contradictions {
    /// Response sentences whose negation parity differs from their best-matching context
    /// sentence's (a loose signal, kept as a feature).
    var negationMismatches = 0
    var negatedRestatements = 0
    var substitutions = 0
    /// The first contradicted sentence: the one the detail shows.
    var firstContradicted: Int?

    /// Content words besides the substituted terms a claim must restate for a substitution: a
    /// sentence of a bare number restates nothing.
    static let substitutionMinimumWords = 2

    var count: Int { negatedRestatements + substitutions }

    /// `bestMatch[i]`: the context sentence that matches response sentence `i` best.
    init(response: [String], context: [String], bestMatch: [Int], lexical: LexicalGrounding) {
        let coverage = ReferenceFaithfulnessScorer.restatementCoverage
        let unsupported = Set(lexical.unsupportedNumbers + lexical.unsupportedNames)
        // Each context sentence's words, made once: every claim may be compared with all of them.
        var indexed: [LexicalGrounding.SentenceWords]?
        func contextWords() -> [LexicalGrounding.SentenceWords] {
            if let indexed { return indexed }
            let made = context.map(LexicalGrounding.SentenceWords.init)
            indexed = made
            return made
        }
        for (sentence, text) in response.enumerated() {
            var contradicted = false
            let words = LexicalGrounding.words(text)
            let negations = LexicalGrounding.negationCount(words)
            if negations % 2 != LexicalGrounding.negationCount(context[bestMatch[sentence]]) % 2 {
                negationMismatches += 1
                let claim = LexicalGrounding.restatedWords(words)
                let restating = contextWords().filter { LexicalGrounding.coverage(of: claim, by: $0) >= coverage }
                if !restating.isEmpty, restating.allSatisfy({ $0.negations < negations }) {
                    negatedRestatements += 1
                    contradicted = true
                }
            }
            let substituted = Set(words.map(\.text)).intersection(unsupported)
            let claim = LexicalGrounding.restatedWords(words, ignoring: substituted)
            if !substituted.isEmpty, claim.count >= Self.substitutionMinimumWords,
                contextWords().contains(where: { LexicalGrounding.coverage(of: claim, by: $0) >= coverage })
            {
                substitutions += 1
                contradicted = true
            }
            if contradicted, firstContradicted == nil { firstContradicted = sentence }
        }
    }
}
