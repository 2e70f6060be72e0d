import Foundation

/// BERT's text clean-up and word split (Hugging Face `BertNormalizer` + `BertPreTokenizer`,
/// tokenizers/src/normalizers/bert.rs and pre_tokenizers/bert.rs; the slow
/// `BasicTokenizer` of transformers does the same).
public struct BertNormalizer: Sendable, Hashable {
    public var cleanText: Bool
    public var handleChineseChars: Bool
    /// `nil` follows `lowercase`, as in Hugging Face.
    public var stripAccents: Bool?
    public var lowercase: Bool

    public init(
        cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true
    ) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// The normalised text, in the order of bert.rs: clean, pad CJK, strip accents, lowercase.
    public func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) {
                    scalars.append(" ")
                    continue
                }
            }
            if handleChineseChars && Self.isChinese(scalar) {
                scalars.append(" ")
                scalars.append(scalar)
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        var result = String(String.UnicodeScalarView(scalars))
        if stripAccents ?? lowercase {
            // NFD, then drop nonspacing marks (Mn).
            result = String(
                String.UnicodeScalarView(
                    result.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                        $0.properties.generalCategory != .nonspacingMark
                    }))
        }
        if lowercase {
            // Per scalar, like Rust's `char::to_lowercase` (no context-dependent final sigma).
            var lowered = String.UnicodeScalarView()
            for scalar in result.unicodeScalars {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
            result = String(lowered)
        }
        return result
    }

    /// Splits normalised text on whitespace (dropped) and punctuation (kept as one-scalar words).
    public func words(_ normalized: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in normalized.unicodeScalars {
            if Self.isWhitespace(scalar) {
                flush()
            } else if Self.isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Rust's `char::is_other` (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// ASCII punctuation (which includes symbols such as `$`, `+`, `^`) or any Unicode P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT pads with spaces (bert.rs `is_chinese_char`).
    static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
