/// Splits text into sentences for claim-level scoring: after `.`, `!` or `?` (and any closing
/// quotes or brackets) followed by white space, and at line breaks. A period after a single
/// letter (initials, "U.S.") or a common abbreviation ("Mr.", "Dr.", "St.") does not end a
/// sentence. Rule-based on purpose: no model, the same answer everywhere, and good enough for
/// news-style text (FRANK) where a wrong split only moves the claim boundaries.
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "gen", "gov",
        "sen", "rep", "lt", "col", "capt", "sgt", "no", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct",
        "nov", "dec", "mt", "ft", "approx", "dept", "est", "fig", "al",
    ]

    public static func sentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        func flush() {
            let trimmed = current.trimmingWhitespace()
            if trimmed.contains(where: { $0.isLetter || $0.isNumber }) { sentences.append(trimmed) }
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character.isNewline {
                flush()
                index += 1
                continue
            }
            current.append(character)
            index += 1
            guard character == "." || character == "!" || character == "?" else { continue }
            while index < characters.count, "\"'”’)]".contains(characters[index]) {
                current.append(characters[index])
                index += 1
            }
            guard index == characters.count || characters[index].isWhitespace else { continue }
            if character == ".", endsWithAbbreviation(current) { continue }
            flush()
        }
        flush()
        return sentences
    }

    /// Whether `text` (ending in a period) ends with an initial or a known abbreviation.
    static func endsWithAbbreviation(_ text: String) -> Bool {
        let body = text.dropLast()
        let word = body.reversed().prefix { $0.isLetter || $0 == "." }
        let letters = String(word.reversed()).lowercased()
        if letters.count == 1 { return true }
        if letters.contains(".") { return true }  // "u.s." style
        return abbreviations.contains(letters)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
