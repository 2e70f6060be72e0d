/// An error from loading or running a reference model: what failed, the file or tensor involved,
/// and the cause.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible like postgres-nio's `PSQLError.Code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A file the model needs is missing or unreadable.
        public static let fileUnreadable = Code("fileUnreadable")
        /// A safetensors file whose header or data region is malformed.
        public static let invalidSafetensors = Code("invalidSafetensors")
        /// A tensor the architecture needs is absent, or has another shape or dtype.
        public static let tensorMismatch = Code("tensorMismatch")
        /// config.json or a tokenizer file is malformed or names something unsupported.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The model could not be found on this machine.
        public static let modelNotFound = Code("modelNotFound")
        /// An input the model cannot take (empty batch, too long a sequence, unknown token id).
        public static let invalidInput = Code("invalidInput")
    }

    public var code: Code
    public var message: String
    /// The file the failure is about, when there is one.
    public var path: String?
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, path: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let path { text += " [file: \(path)]" }
        if let underlying { text += " (cause: \(String(reflecting: underlying)))" }
        return text
    }
}
