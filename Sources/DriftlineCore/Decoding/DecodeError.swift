/// Why a record could not become an `LLMEvent`. The pipeline stores `reason` with the
/// record in the dead-letter table, so it names the field, the rule and the offending value.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure; new decoders may add their own `static let` values.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String

        public init(_ name: String) {
            self.name = name
        }

        public var description: String { name }

        /// Not JSON: an unexpected character, a bad escape or number, a lone surrogate.
        public static let malformedJSON = Code("malformedJSON")
        /// The input ends inside a value — usually a record cut short.
        public static let truncated = Code("truncated")
        public static let invalidUTF8 = Code("invalidUTF8")
        /// Larger than the decoder's `maxRecordBytes`.
        public static let oversized = Code("oversized")
        /// Zero bytes, or only whitespace.
        public static let empty = Code("empty")
        /// Valid JSON, but not an object at the top level.
        public static let notAnObject = Code("notAnObject")
        /// Non-whitespace after the closing brace of the record.
        public static let trailingData = Code("trailingData")
        /// Containers nested deeper than the decoder follows.
        public static let nestingTooDeep = Code("nestingTooDeep")
        /// A known key appears twice in the same object.
        public static let duplicateKey = Code("duplicateKey")
        /// A field has a JSON type it cannot have, e.g. a number where a string belongs.
        public static let wrongType = Code("wrongType")
        /// A required field is absent.
        public static let missingField = Code("missingField")
        /// A field has the right type but breaks a rule (range, enumeration, ordering).
        public static let invalidValue = Code("invalidValue")
        /// A number too large for its type, e.g. `1e999`.
        public static let nonFinite = Code("nonFinite")

        // The documented limits of every event (`EventLimits`, docs/limits.md).
        /// A string longer than its documented limit in bytes (docs/limits.md).
        public static let valueTooLong = Code("valueTooLong")
        /// A control character in a key, id or dimension value, or NUL in text.
        public static let controlCharacter = Code("controlCharacter")
        /// A token count over `EventLimits.maxTokenCount`.
        public static let tokenCountTooLarge = Code("tokenCountTooLarge")
        /// More labels than `EventLimits.maxLabelCount`.
        public static let tooManyLabels = Code("tooManyLabels")
        /// Dimension values and labels together over `EventLimits.maxKeyBytes`.
        public static let keyTooLong = Code("keyTooLong")
    }

    public var code: Code
    /// The field's path in the record, e.g. `tokens.input`, `labels.team`, `embedding[3]`;
    /// nil when the failure is not inside a known field.
    public var field: String?
    /// The byte offset in the record where the problem was found, for failures tied to a
    /// position.
    public var byteOffset: Int?
    /// A complete sentence for people, e.g. `tokens.input must be a non-negative integer, got -5`.
    public var reason: String

    public init(_ code: Code, field: String? = nil, byteOffset: Int? = nil, reason: String) {
        self.code = code
        self.field = field
        self.byteOffset = byteOffset
        self.reason = reason
    }

    public var description: String { reason }
}
