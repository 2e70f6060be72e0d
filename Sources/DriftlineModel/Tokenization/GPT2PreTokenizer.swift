/// GPT-2's pre-tokenisation regex, written out by hand:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// (openai/gpt-2 src/encoder.py; tokenizers' `ByteLevel` pre-tokenizer uses the same pattern).
/// Alternatives are tried in order at each position, and each greedy run here is exactly what the
/// regex engine's first successful alternative matches.
enum GPT2PreTokenizer {
    enum Class { case letter, number, space, other }

    static func classify(_ scalar: Unicode.Scalar) -> Class {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// The pieces of `scalars` as index ranges.
    static func split(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = scalars.map(classify)
        let count = scalars.count
        var pieces: [Range<Int>] = []
        var start = 0
        func run(from index: Int, of kind: Class) -> Int {
            var end = index
            while end < count && classes[end] == kind { end += 1 }
            return end
        }
        while start < count {
            if let length = contractionLength(scalars, at: start) {
                pieces.append(start..<(start + length))
                start += length
                continue
            }
            // ` ?X+` for letters, numbers and other: an optional U+0020 then a run of one class.
            let body = scalars[start] == " " && start + 1 < count && classes[start + 1] != .space ? start + 1 : start
            if classes[body] != .space {
                let end = run(from: body, of: classes[body])
                pieces.append(start..<end)
                start = end
                continue
            }
            // `\s+(?!\S)` keeps the last space of a run for the next word; a run that ends the text,
            // or a single space before a non-space, is taken whole by it or by `\s+`.
            let end = run(from: start, of: .space)
            if end < count && end - start > 1 {
                pieces.append(start..<(end - 1))
                start = end - 1
            } else {
                pieces.append(start..<end)
                start = end
            }
        }
        return pieces
    }

    private static func contractionLength(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard scalars[index] == "'", index + 1 < scalars.count else { return nil }
        let next = scalars[index + 1]
        if next == "s" || next == "t" || next == "m" || next == "d" { return 2 }
        guard index + 2 < scalars.count else { return nil }
        let pair = (next, scalars[index + 2])
        if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return 3 }
        return nil
    }
}
