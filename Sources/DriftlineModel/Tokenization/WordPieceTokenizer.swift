public import Foundation

/// BERT's tokenizer: `BertNormalizer` words, then greedy longest-match-first WordPiece with a
/// continuation prefix (Schuster & Nakajima 2012; tokenizers/src/models/wordpiece/mod.rs).
public struct WordPieceTokenizer: Tokenizer {
    public let normalizer: BertNormalizer
    public let vocabulary: [String: Int32]
    public let unknownId: Int32
    public let padId: Int32
    public let template: SpecialTokenTemplate
    public let continuingSubwordPrefix: String
    /// A longer word becomes one unknown token.
    public let maxInputCharsPerWord: Int

    public init(
        vocabulary: [String: Int32], normalizer: BertNormalizer = BertNormalizer(), unknownToken: String = "[UNK]",
        classifierToken: String = "[CLS]", separatorToken: String = "[SEP]", padToken: String = "[PAD]",
        continuingSubwordPrefix: String = "##", maxInputCharsPerWord: Int = 100
    ) throws(ModelError) {
        func id(_ token: String) throws(ModelError) -> Int32 {
            guard let id = vocabulary[token] else {
                throw ModelError(.invalidConfiguration, "the vocabulary lacks the special token '\(token)'")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.normalizer = normalizer
        self.unknownId = try id(unknownToken)
        self.padId = try id(padToken)
        self.template = .bert(cls: try id(classifierToken), sep: try id(separatorToken))
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }

    /// Loads `vocab.txt` (one token per line, id = line number) and the settings of
    /// `tokenizer.json` when present, else of `tokenizer_config.json`, from a model directory.
    public init(directory: URL) throws(ModelError) {
        let vocabURL = directory.appendingPathComponent("vocab.txt")
        let text: String
        do { text = try String(contentsOf: vocabURL, encoding: .utf8) } catch {
            throw ModelError(
                .fileUnreadable, "cannot read the WordPiece vocabulary", path: vocabURL.path, underlying: error)
        }
        var vocabulary: [String: Int32] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            // A duplicated token keeps its last line's id, as in transformers' `load_vocab`.
            vocabulary[token] = Int32(index)
        }
        try self.init(vocabulary: vocabulary, settings: TokenizerSettings(directory: directory))
    }

    init(vocabulary: [String: Int32], settings: TokenizerSettings) throws(ModelError) {
        try self.init(
            vocabulary: vocabulary,
            normalizer: BertNormalizer(
                cleanText: settings.bool("clean_text") ?? true,
                handleChineseChars: settings.bool("handle_chinese_chars", "tokenize_chinese_chars") ?? true,
                stripAccents: settings.bool("strip_accents"),
                lowercase: settings.bool("lowercase", "do_lower_case") ?? true),
            unknownToken: settings.string("unk_token") ?? "[UNK]",
            classifierToken: settings.string("cls_token") ?? "[CLS]",
            separatorToken: settings.string("sep_token") ?? "[SEP]", padToken: settings.string("pad_token") ?? "[PAD]",
            continuingSubwordPrefix: settings.string("continuing_subword_prefix") ?? "##",
            maxInputCharsPerWord: settings.int("max_input_chars_per_word") ?? 100)
    }

    public func tokenIds(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for word in normalizer.words(normalizer.normalize(text)) { appendPieces(of: word, to: &ids) }
        return ids
    }

    public func encode(_ text: String, pair: String? = nil, maxLength: Int) -> TokenizedInput {
        template.assemble(tokenIds(text), pair.map(tokenIds), maxLength: maxLength)
    }

    private func appendPieces(of word: String, to ids: inout [Int32]) {
        // Unicode scalars, as Rust `char`s: a base letter and its combining accent are two.
        let characters = Array(word.unicodeScalars)
        if characters.count > maxInputCharsPerWord {
            ids.append(unknownId)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(characters[start..<end]))
                if start > 0 { candidate = continuingSubwordPrefix + candidate }
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownId)
                return
            }
            pieces.append(found)
            start = end
        }
        ids += pieces
    }
}
