/// Input or options that the offline drift tools (`driftline drift detect|psi|embeddings`) refuse,
/// with the file and line or the option at fault, in words the command prints as they are.
public struct DriftToolError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A file (or standard input) that cannot be read or is not UTF-8.
        public static let unreadable = Code("unreadable")
        /// A line that is not what the format says: not a finite number, not a vector, a vector of
        /// another dimension, or a file with nothing to compare.
        public static let badInput = Code("badInput")
        /// An option that the chosen detector or binning does not take, or a value out of its range.
        public static let badOption = Code("badOption")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
