/// A rule file in `alerts/` that cannot be used: which file, where in it, which key and what was expected.
///
/// The description reads like a compiler diagnostic, `alerts/chat-ttft.yaml:7:15: sli.latency.threshold_ms:
/// expected a positive number of milliseconds, found "fast"`, so editors and CI logs link to the spot.
public struct AlertSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of mistake; extensible like postgres-nio's error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file is not YAML at all.
        public static let syntax = Code("syntax")
        /// A required key is absent.
        public static let missingKey = Code("missingKey")
        /// A key that this kind of rule does not know (usually a typo).
        public static let unknownKey = Code("unknownKey")
        /// The value has the wrong YAML shape (a list where a number was expected, …).
        public static let wrongType = Code("wrongType")
        /// The value has the right shape but is out of range or not one of the allowed words.
        public static let invalidValue = Code("invalidValue")
        /// The top-level `kind:` names no registered rule kind.
        public static let unknownKind = Code("unknownKind")
        /// Two rules in `alerts/` share a name.
        public static let duplicateName = Code("duplicateName")
        /// The file could not be read.
        public static let unreadable = Code("unreadable")
    }

    public var code: Code
    /// The path as given to the loader, e.g. `alerts/chat-ttft.yaml`.
    public var file: String
    /// 1-based line and column of the offending value (of the enclosing mapping for a missing key).
    public var line: Int?
    public var column: Int?
    /// Dotted key path from the document root, e.g. `sli.latency.threshold_ms`; empty for the document itself.
    public var key: String
    /// What a valid value looks like, in words.
    public var expected: String
    /// The offending text, when there is one.
    public var found: String?

    public init(
        code: Code, file: String, line: Int?, column: Int?, key: String, expected: String, found: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.expected = expected
        self.found = found
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let subject = key.isEmpty ? "document" : key
        var text = "\(location): \(subject): expected \(expected)"
        if let found { text += ", found \"\(found)\"" }
        return text
    }
}
