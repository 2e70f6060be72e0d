/// What one evaluation of a rule says about one alert series (one rule × one label set): whether its condition
/// holds now, with the labels and annotations a notification carries and the timings of its state machine.
public struct AlertCondition: Hashable, Sendable {
    /// The rule series name (`chat-ttft:page-1h`, `chat-ttft-p99`); part of the fingerprint.
    public var rule: String
    /// The full label set, including `alertname` and `severity`.
    public var labels: [String: String]
    public var annotations: [String: String]
    public var isActive: Bool
    /// The observed value behind the verdict (burn rate, metric value), nil without data.
    public var value: Double?
    public var pendingFor: Duration
    public var keepFiringFor: Duration
    /// The file the rule came from.
    public var sourceFile: String

    public init(
        rule: String, labels: [String: String], annotations: [String: String] = [:], isActive: Bool,
        value: Double? = nil, pendingFor: Duration = .zero, keepFiringFor: Duration = .zero, sourceFile: String = ""
    ) {
        self.rule = rule
        self.labels = labels
        self.annotations = annotations
        self.isActive = isActive
        self.value = value
        self.pendingFor = pendingFor
        self.keepFiringFor = keepFiringFor
        self.sourceFile = sourceFile
    }

    public var fingerprint: AlertFingerprint { AlertFingerprint(rule: rule, labels: labels) }
}
