/// Text cut into encoder inputs: sentences tokenised and packed in order into windows of at most
/// `windowTokens` word pieces (plus the family's two special tokens), a sentence longer than a
/// window cut into window-sized pieces. Each window remembers which of its tokens belong to
/// which sentence, so token states can be pooled per sentence after one forward pass.
struct TextWindows {
    struct Span {
        var sentence: Int
        /// Token positions in the window's input, special tokens counted.
        var tokens: Range<Int>
    }

    struct Window {
        var input: TokenizedInput
        var spans: [Span]
    }

    var sentences: [String] = []
    var windows: [Window] = []
    /// The token ids of each sentence, without special tokens (for idf).
    var sentenceIds: [[Int32]] = []

    /// `passages` are packed separately: a window never spans two passages.
    init(passages: [String], tokenizer: any Tokenizer, windowTokens: Int, maxWindows: Int = .max) {
        let specials = tokenizer.encode("", pair: nil, maxLength: 2).ids
        let first = specials.first ?? tokenizer.padId
        let last = specials.count > 1 ? specials[1] : first
        for passage in passages {
            var ids: [Int32] = []
            var spans: [Span] = []
            func close() {
                guard !ids.isEmpty, windows.count < maxWindows else {
                    ids = []
                    spans = []
                    return
                }
                let input = [first] + ids + [last]
                windows.append(
                    Window(
                        input: TokenizedInput(ids: input, typeIds: Array(repeating: 0, count: input.count)),
                        spans: spans))
                ids = []
                spans = []
            }
            for sentence in SentenceSplitter.sentences(passage) {
                let sentenceIds = tokenizer.tokenIds(sentence)
                guard !sentenceIds.isEmpty else { continue }
                let index = sentences.count
                sentences.append(sentence)
                self.sentenceIds.append(sentenceIds)
                var start = 0
                while start < sentenceIds.count {
                    let piece = min(sentenceIds.count - start, windowTokens)
                    if ids.count + piece > windowTokens { close() }
                    spans.append(Span(sentence: index, tokens: (ids.count + 1)..<(ids.count + 1 + piece)))
                    ids += sentenceIds[start..<(start + piece)]
                    start += piece
                }
            }
            close()
        }
    }
}
