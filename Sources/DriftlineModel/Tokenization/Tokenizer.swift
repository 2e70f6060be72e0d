/// A tokenizer for an encoder: text to ids, and one sequence or a pair to model input with the
/// family's special tokens.
public protocol Tokenizer: Sendable {
    /// Ids of `text` without special tokens and without truncation.
    func tokenIds(_ text: String) -> [Int32]

    /// The model input for `text` (and `pair`, for cross-encoders), special tokens added, cut to
    /// at most `maxLength` ids with Hugging Face's `longest_first` strategy.
    func encode(_ text: String, pair: String?, maxLength: Int) -> TokenizedInput

    var padId: Int32 { get }
}

/// Where the special tokens of a family go around one sequence or a pair.
public struct SpecialTokenTemplate: Sendable, Hashable {
    /// BERT: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, type ids 0 for A, 1 for B.
    public static func bert(cls: Int32, sep: Int32) -> Self {
        Self(prefix: [cls], middle: [sep], pairPrefix: [], suffix: [sep], pairTypeId: 1)
    }

    /// RoBERTa: `<s> A </s>` and `<s> A </s></s> B </s>`, type ids all 0.
    public static func roberta(bos: Int32, eos: Int32) -> Self {
        Self(prefix: [bos], middle: [eos], pairPrefix: [eos], suffix: [eos], pairTypeId: 0)
    }

    var prefix: [Int32]
    /// After the first sequence.
    var middle: [Int32]
    /// Before the second sequence.
    var pairPrefix: [Int32]
    /// After the second sequence.
    var suffix: [Int32]
    var pairTypeId: Int32

    func specialCount(pair: Bool) -> Int {
        prefix.count + middle.count + (pair ? pairPrefix.count + suffix.count : 0)
    }

    /// Truncates like `tokenizers`' `truncate_encodings` (utils/truncation.rs, `LongestFirst`):
    /// with a pair, the shorter input keeps its length when the longer can take the rest of the
    /// budget; otherwise both get half, the second one the odd token. Then adds the special tokens.
    func assemble(_ first: [Int32], _ second: [Int32]?, maxLength: Int) -> TokenizedInput {
        let budget = max(0, maxLength - specialCount(pair: second != nil))
        var first = first
        var typeIds: [Int32]
        guard var second else {
            if first.count > budget { first.removeLast(first.count - budget) }
            let ids = prefix + first + middle
            return TokenizedInput(ids: ids, typeIds: Array(repeating: 0, count: ids.count))
        }
        if first.count + second.count > budget {
            let swapped = first.count > second.count
            var short = swapped ? second.count : first.count
            var long = swapped ? first.count : second.count
            long = short > budget ? short : max(short, budget - short)
            if short + long > budget {
                short = budget / 2
                long = short + budget % 2
            }
            let (firstLength, secondLength) = swapped ? (long, short) : (short, long)
            if first.count > firstLength { first.removeLast(first.count - firstLength) }
            if second.count > secondLength { second.removeLast(second.count - secondLength) }
        }
        let head = prefix + first + middle
        let tail = pairPrefix + second + suffix
        typeIds = Array(repeating: 0, count: head.count)
        typeIds += Array(repeating: pairTypeId, count: tail.count)
        return TokenizedInput(ids: head + tail, typeIds: typeIds)
    }
}
