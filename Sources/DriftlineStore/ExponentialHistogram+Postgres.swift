public import DriftlineStats

/// The text form of the `dl_histogram` composite (see `HistogramSQL`):
/// `(scale,zero_count,count,sum,min,max,"{idx,...}","{cnt,...}")`.
///
/// The store sends histograms as elements of a `text[]` parameter and casts them with
/// `::dl_histogram`, and reads them back with `h::text`; this is the composite's input and output
/// syntax (PostgreSQL manual, "Composite Types", 8.16.6 "Composite Type Input and Output Syntax").
extension ExponentialHistogram {
    /// The composite literal. Doubles are written with Swift's shortest round-trip form, which
    /// PostgreSQL's `float8in` reads back to the same bits; an empty histogram's min and max are written
    /// `Infinity` and `-Infinity`, the spelling PostgreSQL uses for them.
    public var postgresLiteral: String {
        let buckets = self.buckets
        var text = "("
        text.reserveCapacity(64 + buckets.count * 12)
        text += String(scale)
        text += ","
        text += String(zeroCount)
        text += ","
        text += String(count)
        text += ","
        text += Self.postgresText(sum)
        text += ","
        text += Self.postgresText(min)
        text += ","
        text += Self.postgresText(max)
        // Arrays are quoted: they contain commas, which separate composite fields.
        text += ",\"{"
        for (k, bucket) in buckets.enumerated() {
            if k > 0 { text += "," }
            text += String(bucket.index)
        }
        text += "}\",\"{"
        for (k, bucket) in buckets.enumerated() {
            if k > 0 { text += "," }
            text += String(bucket.count)
        }
        text += "}\")"
        return text
    }

    /// Parses the composite literal, as written by `postgresLiteral` or by PostgreSQL's `h::text`.
    /// Throws `ExponentialHistogramError` with code `.malformedLiteral` when the text is not such a
    /// literal (also for NULL fields), or `.invalidParts` when the parts are inconsistent, including a
    /// `count` that differs from `zero_count` plus the bucket counts.
    public init(postgresLiteral literal: String) throws {
        let fields = try Self.compositeFields(literal)
        guard fields.count == 8 else {
            throw Self.malformed(literal, "expected 8 fields, found \(fields.count)")
        }
        func field(_ k: Int, _ name: String) throws -> String {
            guard let value = fields[k] else { throw Self.malformed(literal, "\(name) is NULL") }
            return value
        }
        guard let scale = Int(try field(0, "scale")) else {
            throw Self.malformed(literal, "scale is not an integer")
        }
        guard let zeroCount = UInt64(try field(1, "zero_count")) else {
            throw Self.malformed(literal, "zero_count is not a non-negative integer")
        }
        guard let count = UInt64(try field(2, "count")) else {
            throw Self.malformed(literal, "count is not a non-negative integer")
        }
        let sum = try Self.parseDouble(try field(3, "sum"), "sum", literal)
        let min = try Self.parseDouble(try field(4, "min"), "min", literal)
        let max = try Self.parseDouble(try field(5, "max"), "max", literal)
        let indexes = try Self.arrayElements(try field(6, "idx"), "idx", literal).map { text in
            guard let index = Int32(text) else { throw Self.malformed(literal, "idx element \(text) is not an int") }
            return index
        }
        let counts = try Self.arrayElements(try field(7, "cnt"), "cnt", literal).map { text in
            guard let n = UInt64(text) else {
                throw Self.malformed(literal, "cnt element \(text) is not a non-negative integer")
            }
            return n
        }
        guard indexes.count == counts.count else {
            throw Self.malformed(literal, "idx has \(indexes.count) elements but cnt has \(counts.count)")
        }
        let buckets = zip(indexes, counts).map { Bucket(index: $0, count: $1) }
        let histogram = try ExponentialHistogram(
            scale: scale, zeroCount: zeroCount, sum: sum, min: min, max: max, buckets: buckets)
        guard histogram.count == count else {
            throw ExponentialHistogramError(
                .invalidParts,
                "count \(count) differs from zero_count + bucket counts = \(histogram.count) in \(Self.excerpt(literal))"
            )
        }
        self = histogram
    }

    private static func postgresText(_ value: Double) -> String {
        if value == .infinity { return "Infinity" }
        if value == -.infinity { return "-Infinity" }
        return value.description
    }

    private static func parseDouble(_ text: String, _ name: String, _ literal: String) throws -> Double {
        switch text.lowercased() {
        case "infinity", "inf", "+infinity", "+inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default:
            guard let value = Double(text), !value.isNaN else {
                throw malformed(literal, "\(name) \(text) is not a number")
            }
            return value
        }
    }

    /// The fields of a composite literal: nil for NULL (an empty unquoted field), quotes and backslash
    /// escapes removed.
    private static func compositeFields(_ literal: String) throws -> [String?] {
        let chars = Array(literal.utf8)
        var start = 0
        var end = chars.count
        while start < end, chars[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, chars[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard end - start >= 2, chars[start] == UInt8(ascii: "("), chars[end - 1] == UInt8(ascii: ")") else {
            throw malformed(literal, "a composite literal starts with ( and ends with )")
        }
        var fields: [String?] = []
        var k = start + 1
        let close = end - 1
        while true {
            var bytes: [UInt8] = []
            var quoted = false
            while k < close, chars[k] != UInt8(ascii: ",") {
                switch chars[k] {
                case UInt8(ascii: "\""):
                    quoted = true
                    k += 1
                    while true {
                        guard k < close else { throw malformed(literal, "unterminated quoted field") }
                        let c = chars[k]
                        if c == UInt8(ascii: "\"") {
                            if k + 1 < close, chars[k + 1] == UInt8(ascii: "\"") {
                                bytes.append(c)
                                k += 2
                                continue
                            }
                            k += 1
                            break
                        }
                        if c == UInt8(ascii: "\\"), k + 1 < close {
                            bytes.append(chars[k + 1])
                            k += 2
                            continue
                        }
                        bytes.append(c)
                        k += 1
                    }
                case UInt8(ascii: "\\") where k + 1 < close:
                    bytes.append(chars[k + 1])
                    k += 2
                default:
                    bytes.append(chars[k])
                    k += 1
                }
            }
            fields.append(bytes.isEmpty && !quoted ? nil : String(decoding: bytes, as: UTF8.self))
            if k >= close { break }
            k += 1  // the comma
        }
        return fields
    }

    /// The elements of a one-dimensional array literal of integers (`{1,2,3}`, optionally with the
    /// `[lower:upper]=` prefix PostgreSQL writes for arrays not starting at 1).
    private static func arrayElements(_ text: String, _ name: String, _ literal: String) throws -> [Substring] {
        var body = Substring(text)
        if body.first == "[" {
            guard let equals = body.firstIndex(of: "=") else {
                throw malformed(literal, "\(name) has a dimension prefix without '='")
            }
            body = body[body.index(after: equals)...]
        }
        guard body.first == "{", body.last == "}" else {
            throw malformed(literal, "\(name) is not an array literal {...}")
        }
        body = body.dropFirst().dropLast()
        if body.isEmpty { return [] }
        return body.split(separator: ",", omittingEmptySubsequences: false).map { element in
            element.trimmingPrefix(while: { $0 == " " })
        }
    }

    private static func malformed(_ literal: String, _ reason: String) -> ExponentialHistogramError {
        ExponentialHistogramError(.malformedLiteral, "\(reason) in dl_histogram literal \(excerpt(literal))")
    }

    private static func excerpt(_ literal: String) -> String {
        literal.count <= 120 ? "'\(literal)'" : "'\(literal.prefix(120))...' (\(literal.count) characters)"
    }
}
