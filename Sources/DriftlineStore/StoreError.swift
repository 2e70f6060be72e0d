/// An error from the Postgres store: what failed, the statement or setting involved, and the cause.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible like postgres-nio's `PSQLError.Code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let invalidDatabaseURL = Code("invalidDatabaseURL")
        public static let migrationFailed = Code("migrationFailed")
        public static let newerSchema = Code("newerSchema")
        /// Values computed for the store that it must not keep (an encoder's malformed vectors).
        public static let invalidData = Code("invalidData")
    }

    public var code: Code
    public var message: String
    /// The statement that failed, shortened, when there is one.
    public var statement: String?
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, statement: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.statement = statement.map { String($0.prefix(300)) }
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let statement { text += " [statement: \(statement)]" }
        if let underlying { text += " (cause: \(String(reflecting: underlying)))" }
        return text
    }
}
