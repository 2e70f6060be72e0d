/// A detector snapshot that cannot be restored: not a snapshot of this detector, a format
/// version this build does not read, cut short, or holding a state no detector can reach.
public struct DetectorSnapshotError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The bytes do not start with the detector's magic number.
        public static let wrongDetector = Code("wrongDetector")
        /// The format version is newer (or older) than this build reads.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// The bytes end before the snapshot does.
        public static let truncated = Code("truncated")
        /// Bytes follow the end of the snapshot.
        public static let trailingBytes = Code("trailingBytes")
        /// The fields decode but describe an impossible state (bad parameters, inconsistent sums).
        public static let invalidState = Code("invalidState")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "DetectorSnapshotError.\(code): \(message)" }
}
