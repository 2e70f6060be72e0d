/// A configuration file or value that cannot be used: which file (or environment variable),
/// which key, what was expected.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var file: String?
    /// Dotted path of the key, e.g. `aggregation.window_seconds`.
    public var key: String
    public var message: String
    /// The environment variable the value came from, when it replaced the file's setting
    /// (`DATABASE_URL` for `postgres.url`): the message then names the variable, not the file.
    public var variable: String?

    public init(file: String?, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// A value read from the environment variable `variable` that stands for `key`.
    public init(variable: String, key: String, _ message: String) {
        self.key = key
        self.message = message
        self.variable = variable
    }

    public var description: String {
        if let variable { return "environment variable \(variable) (for \(key)): \(message)" }
        let place = [file, key.isEmpty ? nil : key].compactMap { $0 }.joined(separator: ": ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
