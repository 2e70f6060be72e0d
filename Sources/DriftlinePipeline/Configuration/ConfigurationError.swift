/// A configuration file or value that cannot be used: which file, which key, what was expected.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var file: String?
    /// Dotted path of the key, e.g. `aggregation.window_seconds`.
    public var key: String
    public var message: String

    public init(file: String?, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = [file, key.isEmpty ? nil : key].compactMap { $0 }.joined(separator: ": ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
