/// A drift detector parameter outside its valid range, named as the configuration key spells it.
public struct DriftDetectorConfigurationError: Error, Hashable, CustomStringConvertible {
    /// The parameter, e.g. `delta` or `max_buckets` (River's spelling, also the pipeline's config key).
    public var parameter: String
    /// The rejected value as text.
    public var value: String
    /// What the parameter must be, e.g. `a number in (0, 1)`.
    public var expected: String

    public init(parameter: String, value: String, expected: String) {
        self.parameter = parameter
        self.value = value
        self.expected = expected
    }

    public var description: String {
        "drift detector parameter \(parameter) is \(value), expected \(expected)"
    }
}
