/// Lexical grounding evidence of a response against its context, with no model: which of the
/// response's content words, numbers, names and word pairs the context never uses, and whether a
/// claim's negation differs from the context sentence that matches it best.
///
/// Words are lower-cased runs of letters and digits (a number keeps its inner `,` and `.`, which
/// are then dropped: "1,200" = "1200"); number words up to twenty count as their digits, so
/// "three" in a response is supported by "3" in the context. A content word is supported when
/// the context has it or a word sharing its first six letters ("killed"/"killing").
public struct LexicalGrounding: Sendable {
    /// The share of the response's content words (not stop words) found in the context; 1 when
    /// the response has none. This alone is the lexical-overlap baseline of `faithfulness eval`.
    public var contentOverlap: Double
    /// The share of the response's adjacent content-word pairs the context also has next to
    /// each other (stop words between them skipped); 1 when the response has no pair.
    public var bigramOverlap: Double
    /// Numbers (and years, dates' day numbers) of the response absent from the context.
    public var unsupportedNumbers: [String]
    /// Capitalised words inside a response sentence (names, places, organisations) absent from
    /// the context. Lower-cased responses have none.
    public var unsupportedNames: [String]
    /// Other content words absent from the context.
    public var unsupportedWords: [String]
    /// How many content words the response has (repeats counted): its length as the calibration
    /// reads it.
    public var contentWords: Int

    /// Everything unsupported, numbers first, then names, each once in response order.
    public var unsupportedTerms: [String] { unsupportedNumbers + unsupportedNames }

    public init(response: String, context: String) {
        let contextWords = Self.words(context)
        // A number written against its unit ("8pm", "5m") also supports the bare number ("8 pm").
        let contextSet = Set(contextWords.map(\.normalized))
            .union(contextWords.filter(\.isNumber).flatMap { Self.digitRuns($0.normalized) })
        let contextStems = Set(contextWords.map { Self.stem($0.normalized) })
        var contextPairs: Set<String> = []
        let contextContent = contextWords.map(\.normalized).filter { !Self.stopWords.contains($0) }
        for (first, second) in zip(contextContent, contextContent.dropFirst()) {
            contextPairs.insert(Self.stem(first) + " " + Self.stem(second))
        }
        var numbers: [String] = []
        var names: [String] = []
        var others: [String] = []
        var content = 0
        var supported = 0
        var pairs = 0
        var supportedPairs = 0
        for sentence in SentenceSplitter.sentences(response) {
            let words = Self.words(sentence)
            var previous: String?
            for (position, word) in words.enumerated() {
                let normalized = word.normalized
                guard !Self.stopWords.contains(normalized) else { continue }
                let stem = Self.stem(normalized)
                if let previous {
                    pairs += 1
                    if contextPairs.contains(previous + " " + stem) { supportedPairs += 1 }
                }
                previous = stem
                content += 1
                let runs = word.isNumber ? Self.digitRuns(normalized) : []
                let found =
                    contextSet.contains(normalized) || (!word.isNumber && contextStems.contains(stem))
                    || (!runs.isEmpty && runs.allSatisfy(contextSet.contains))
                if found {
                    supported += 1
                    continue
                }
                if word.isNumber {
                    if !numbers.contains(word.text) { numbers.append(word.text) }
                } else if position > 0, word.isCapitalised, !Self.placeholders.contains(normalized) {
                    if !names.contains(word.text) { names.append(word.text) }
                } else if !others.contains(normalized) {
                    others.append(normalized)
                }
            }
        }
        contentOverlap = content == 0 ? 1 : Double(supported) / Double(content)
        bigramOverlap = pairs == 0 ? 1 : Double(supportedPairs) / Double(pairs)
        unsupportedNumbers = numbers
        unsupportedNames = names
        unsupportedWords = others
        contentWords = content
    }

    struct Word {
        var text: String
        var normalized: String
        var isNumber: Bool
        var isCapitalised: Bool
    }

    static let numberWords: [String: String] = [
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
        "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
        "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    ]

    /// Runs of letters and digits; inside a run of digits `,` and `.` are kept when a digit
    /// follows, then dropped from the normalised form.
    static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index].isLetter || characters[index].isNumber else {
                index += 1
                continue
            }
            var token = ""
            while index < characters.count {
                let character = characters[index]
                if character.isLetter || character.isNumber {
                    token.append(character)
                    index += 1
                } else if character == "," || character == ".", token.last?.isNumber == true,
                    index + 1 < characters.count, characters[index + 1].isNumber
                {
                    token.append(character)
                    index += 1
                } else {
                    break
                }
            }
            let lower = token.lowercased()
            let digits = lower.filter { $0 != "," && !($0 == "." && lower.contains(where: \.isNumber)) }
            let isNumber = lower.contains(where: \.isNumber)
            let normalized = numberWords[lower] ?? digits
            words.append(
                Word(
                    text: token, normalized: normalized, isNumber: isNumber || numberWords[lower] != nil,
                    isCapitalised: token.first?.isUppercase == true))
        }
        return words
    }

    static func stem(_ word: String) -> String { String(word.prefix(6)) }

    /// The runs of digits of a normalised word ("8pm" → ["8"]; "2012" → ["2012"]).
    static func digitRuns(_ word: String) -> [String] {
        word.split(whereSeparator: { !$0.isNumber }).map(String.init)
    }

    /// A generator's unknown-word placeholder ("UNK", "[UNK]", "<unk>") is not a name.
    static let placeholders: Set<String> = ["unk"]

    /// Negation cues; a claim whose count of them differs in parity from its best-matching
    /// context sentence's states the opposite ("was not closed" against "was closed").
    static let negations: Set<String> = [
        "not", "no", "never", "nobody", "nothing", "neither", "nor", "none", "without", "cannot", "t",
        "denied", "denies", "deny", "refused", "refuses", "failed", "fails",
    ]

    /// A sentence's words as `coverage` looks them up, made once per context sentence.
    struct SentenceWords {
        var present: Set<String>
        var stems: Set<String>
        var negations: Int

        init(_ sentence: String) {
            let words = LexicalGrounding.words(sentence)
            present = Set(words.map(\.normalized))
            stems = Set(words.map { LexicalGrounding.stem($0.normalized) })
            negations = LexicalGrounding.negationCount(words)
        }
    }

    /// The share of a claim's content words (its `restatedWords`) that `sentence` has, by word or
    /// by its first six letters, as for the whole response; 1 when the claim has none. Near 1, the
    /// claim restates the sentence.
    static func coverage(of content: [Word], by sentence: SentenceWords) -> Double {
        guard !content.isEmpty else { return 1 }
        let found = content.filter {
            sentence.present.contains($0.normalized)
                || (!$0.isNumber && sentence.stems.contains(stem($0.normalized)))
        }
        return Double(found.count) / Double(content.count)
    }

    /// The content words `coverage` reads of a claim's `words`: stop words, negation cues and
    /// `ignoring` left out.
    static func restatedWords(_ words: [Word], ignoring: Set<String> = []) -> [Word] {
        words.filter {
            !stopWords.contains($0.normalized) && !negations.contains($0.normalized) && !ignoring.contains($0.text)
        }
    }

    /// The negation cues of `text`, as words ("didn't" gives "t").
    static func negationCount(_ text: String) -> Int { negationCount(words(text)) }

    static func negationCount(_ words: [Word]) -> Int { words.filter { negations.contains($0.normalized) }.count }

    /// English function words (NLTK's stop-word list, less the negations, which carry meaning
    /// here, plus the tokens "s" and "t" of split contractions).
    static let stopWords: Set<String> = [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
        "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
        "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those",
        "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
        "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
        "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above",
        "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
        "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
        "other", "some", "such", "only", "own", "same", "so", "than", "too", "very", "s", "can", "will", "just",
        "should", "now", "d", "ll", "m", "o", "re", "ve", "y", "also", "would", "could", "said", "says",
    ]
}
