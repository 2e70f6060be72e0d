public import Foundation

/// GPT-2's byte-level BPE as RoBERTa uses it (Radford et al. 2019, section 2.2; tokenizers'
/// `ByteLevel` pre-tokenizer and `BPE` model): the GPT-2 regex splits the text, each piece's UTF-8
/// bytes are mapped to printable characters, then the merges apply lowest rank first.
public struct ByteLevelBPETokenizer: Tokenizer {
    public let vocabulary: [String: Int32]
    /// Merge rank of each pair of symbols, keyed `left + " " + right`.
    public let mergeRanks: [String: Int]
    public let padId: Int32
    public let unknownId: Int32?
    public let template: SpecialTokenTemplate
    /// Prepends a space to the text so the first word is tokenised like the others.
    public let addPrefixSpace: Bool

    public init(
        vocabulary: [String: Int32], merges: [(String, String)], addPrefixSpace: Bool = false,
        bosToken: String = "<s>", eosToken: String = "</s>", padToken: String = "<pad>", unknownToken: String = "<unk>"
    ) throws(ModelError) {
        func id(_ token: String) throws(ModelError) -> Int32 {
            guard let id = vocabulary[token] else {
                throw ModelError(.invalidConfiguration, "the vocabulary lacks the special token '\(token)'")
            }
            return id
        }
        var ranks: [String: Int] = [:]
        for (rank, merge) in merges.enumerated() where ranks["\(merge.0) \(merge.1)"] == nil {
            ranks["\(merge.0) \(merge.1)"] = rank
        }
        self.vocabulary = vocabulary
        self.mergeRanks = ranks
        self.addPrefixSpace = addPrefixSpace
        self.padId = try id(padToken)
        self.unknownId = vocabulary[unknownToken]
        self.template = .roberta(bos: try id(bosToken), eos: try id(eosToken))
    }

    /// Loads `vocab.json` and `merges.txt` (first line `#version` is skipped) and
    /// `add_prefix_space` from the tokenizer settings of a model directory.
    public init(directory: URL) throws(ModelError) {
        let vocabURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let vocabulary: [String: Int32]
        do {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: vocabURL))
            guard let map = object as? [String: NSNumber] else {
                throw ModelError(
                    .invalidConfiguration, "vocab.json is not an object of token to id", path: vocabURL.path)
            }
            vocabulary = map.mapValues { Int32($0.intValue) }
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(.fileUnreadable, "cannot read the BPE vocabulary", path: vocabURL.path, underlying: error)
        }
        let mergesText: String
        do { mergesText = try String(contentsOf: mergesURL, encoding: .utf8) } catch {
            throw ModelError(.fileUnreadable, "cannot read the BPE merges", path: mergesURL.path, underlying: error)
        }
        var merges: [(String, String)] = []
        for (number, line) in mergesText.split(separator: "\n").enumerated() {
            if line.hasPrefix("#version") || line.isEmpty { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw ModelError(
                    .invalidConfiguration, "line \(number + 1) is not two symbols separated by a space",
                    path: mergesURL.path)
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        try self.init(vocabulary: vocabulary, merges: merges, settings: TokenizerSettings(directory: directory))
    }

    init(vocabulary: [String: Int32], merges: [(String, String)], settings: TokenizerSettings) throws(ModelError) {
        try self.init(
            vocabulary: vocabulary, merges: merges, addPrefixSpace: settings.bool("add_prefix_space") ?? false,
            bosToken: settings.string("bos_token") ?? "<s>", eosToken: settings.string("eos_token") ?? "</s>",
            padToken: settings.string("pad_token") ?? "<pad>", unknownToken: settings.string("unk_token") ?? "<unk>")
    }

    public func tokenIds(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        let scalars = Array((addPrefixSpace && !text.hasPrefix(" ") ? " " + text : text).unicodeScalars)
        for piece in GPT2PreTokenizer.split(scalars) {
            var symbols: [String] = []
            for byte in String(String.UnicodeScalarView(scalars[piece])).utf8 {
                symbols.append(Self.byteSymbols[Int(byte)])
            }
            for symbol in merge(symbols) {
                if let id = vocabulary[symbol] {
                    ids.append(id)
                } else if let unknownId {
                    ids.append(unknownId)
                }
            }
        }
        return ids
    }

    public func encode(_ text: String, pair: String? = nil, maxLength: Int) -> TokenizedInput {
        template.assemble(tokenIds(text), pair.map(tokenIds), maxLength: maxLength)
    }

    /// Merges the adjacent pair of lowest rank, all its occurrences left to right, until no pair
    /// has a rank (GPT-2 encoder.py `bpe`).
    private func merge(_ word: [String]) -> [String] {
        var word = word
        while word.count > 1 {
            var best: (rank: Int, left: String, right: String)?
            for index in 0..<(word.count - 1) {
                if let rank = mergeRanks[word[index] + " " + word[index + 1]], rank < best?.rank ?? .max {
                    best = (rank, word[index], word[index + 1])
                }
            }
            guard let best else { break }
            var merged: [String] = []
            merged.reserveCapacity(word.count)
            var index = 0
            while index < word.count {
                if index + 1 < word.count && word[index] == best.left && word[index + 1] == best.right {
                    merged.append(best.left + best.right)
                    index += 2
                } else {
                    merged.append(word[index])
                    index += 1
                }
            }
            word = merged
        }
        return word
    }

    /// GPT-2's `bytes_to_unicode`: printable Latin-1 bytes map to themselves, the other 68 bytes to
    /// U+0100 onwards, so every byte is a visible character in vocab.json and merges.txt.
    static let byteSymbols: [String] = {
        var printable = Set<UInt32>()
        printable.formUnion(UInt32(33)...126)
        printable.formUnion(UInt32(161)...172)
        printable.formUnion(UInt32(174)...255)
        var next: UInt32 = 256
        return (UInt32(0)...255).map { byte in
            if printable.contains(byte) { return String(Unicode.Scalar(byte)!) }
            defer { next += 1 }
            return String(Unicode.Scalar(next)!)
        }
    }()
}
