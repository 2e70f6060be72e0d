/// A ``WebhookSink`` that cannot start: it cannot listen where it was told to, or cannot open its record file.
public struct WebhookSinkError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Binding the address failed (in use, not a local address, no permission for the port).
        public static let listen = Code("listen")
        /// The record file cannot be created or opened for appending.
        public static let recordFile = Code("recordFile")
    }

    public var code: Code
    public var message: String
    /// What the operating system or NIO said.
    public var underlying: String

    public init(code: Code, message: String, underlying: String) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(message): \(underlying)" }
}
