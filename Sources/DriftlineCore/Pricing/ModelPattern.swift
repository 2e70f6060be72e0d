/// How a price entry names the models it applies to.
///
/// Specificity, most specific first: an exact name, then a glob (`*` any run of characters,
/// `?` any one character; among globs, more literal characters is more specific), then a
/// regular expression (whole-name match). The catalogue uses the most specific pattern that
/// matches and rejects, when it loads, two patterns of equal specificity that can match the
/// same name.
public enum ModelPattern: Sendable, Hashable, CustomStringConvertible {
    case exact(String)
    case glob(String)
    case regex(ModelRegex)

    public func matches(_ model: String) -> Bool {
        switch self {
        case .exact(let name): name == model
        case .glob(let glob): Glob.matches(Array(glob.unicodeScalars), Array(model.unicodeScalars))
        case .regex(let regex): regex.matches(model)
        }
    }

    /// Lower sorts first: 0 exact, 1 glob, 2 regex.
    var rank: Int {
        switch self {
        case .exact: 0
        case .glob: 1
        case .regex: 2
        }
    }

    /// Among globs, the number of literal characters; longer literal text is more specific.
    var literalCount: Int {
        switch self {
        case .exact(let name): name.unicodeScalars.count
        case .glob(let glob): glob.unicodeScalars.filter { $0 != "*" && $0 != "?" }.count
        case .regex: 0
        }
    }

    public var description: String {
        switch self {
        case .exact(let name): "model: \(name)"
        case .glob(let glob): "model_glob: \(glob)"
        case .regex(let regex): "model_regex: \(regex.source)"
        }
    }
}

/// A compiled whole-name regular expression, compared by its source text.
public struct ModelRegex: Sendable, Hashable {
    public let source: String
    private let compiled: CompiledRegex

    public init(_ source: String) throws(PriceCatalogueError) {
        do {
            self.compiled = CompiledRegex(try Regex(source))
        } catch {
            throw PriceCatalogueError(key: "model_regex", "\"\(source)\" is not a valid regular expression: \(error)")
        }
        self.source = source
    }

    public func matches(_ model: String) -> Bool {
        (try? compiled.regex.wholeMatch(in: model)) != nil
    }

    public static func == (a: ModelRegex, b: ModelRegex) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// `Regex` holds its compiled program in a reference it never mutates after construction.
private final class CompiledRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}

enum Glob {
    static func matches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        // Iterative wildcard matching with backtracking to the last star (linear in practice).
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Whether some name matches both globs: a search over pairs of positions, where a star on
    /// either side may absorb one character (or star) of the other or nothing.
    static func intersect(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        var memo = [Bool?](repeating: nil, count: (a.count + 1) * (b.count + 1))
        func visit(_ i: Int, _ j: Int) -> Bool {
            let slot = i * (b.count + 1) + j
            if let known = memo[slot] { return known }
            memo[slot] = false
            var result = false
            if i == a.count && j == b.count {
                result = true
            } else if i < a.count, a[i] == "*", visit(i + 1, j) || (j < b.count && visit(i, j + 1)) {
                result = true
            } else if j < b.count, b[j] == "*", visit(i, j + 1) || (i < a.count && visit(i + 1, j)) {
                result = true
            } else if i < a.count, j < b.count, a[i] != "*", b[j] != "*",
                a[i] == "?" || b[j] == "?" || a[i] == b[j], visit(i + 1, j + 1)
            {
                result = true
            }
            memo[slot] = result
            return result
        }
        return visit(0, 0)
    }
}
