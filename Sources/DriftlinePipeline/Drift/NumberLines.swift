/// The text format of `driftline drift detect` and `drift psi`: one value per line, blank lines
/// skipped (a trailing newline or a gap in an export is not a value), surrounding spaces and a
/// Windows line end ignored. Errors name the 1-based line.
public enum NumberLines {
    /// The numbers, in order. A line that is not a finite decimal number is an error: NaN and
    /// infinities are refused rather than skipped, since a detector skipping them would shift every
    /// index printed after them.
    public static func numbers(in text: String, source: String) throws -> [Double] {
        var numbers: [Double] = []
        for (index, line) in lines(text) {
            guard let value = finiteDecimal(line) else {
                throw DriftToolError(.badInput, "\(source):\(index): expected a finite number, got \"\(line)\"")
            }
            numbers.append(value)
        }
        return numbers
    }

    /// `text` as a decimal number (digits, sign, point, exponent), nil when it is anything else or
    /// not finite — `Double.init` alone would also take "nan", "inf" and hexadecimal floats.
    static func finiteDecimal(_ text: Substring) -> Double? {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let value = Double(text),
            value.isFinite
        else { return nil }
        return value
    }

    /// The number of times each value occurs, for categorical data (any text is a category).
    public static func categoryCounts(in text: String) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for (_, line) in lines(text) { counts[String(line), default: 0] += 1 }
        return counts
    }

    /// The non-blank lines, trimmed, with their 1-based numbers.
    static func lines(_ text: String) -> [(Int, Substring)] {
        var result: [(Int, Substring)] = []
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let split = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, line) in split.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if !trimmed.isEmpty { result.append((offset + 1, trimmed)) }
        }
        return result
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
