/// A service level objective read from a file in `alerts/` (`kind: slo`): the share of good events an SLI must
/// reach over a rolling period, and how burning its error budget alerts.
///
/// File shape (documented with examples in `alerts/README.md`):
///
/// ```yaml
/// kind: slo                      # selects this decoder in AlertRuleKindRegistry
/// name: chat-ttft                # unique across alerts/; [a-z0-9_-]
/// description: Chat answers start streaming within 1.5 s.   # optional
/// objective: 99.5                # percent of good events, 0 < objective < 100
/// period: 30d                    # optional rolling period, default 30d
/// filters:                       # optional; dimension: value or [values]
///   app: chat
///   environment: [prod]
/// group_by: [model]              # optional; one alert series per group
/// sli:                           # exactly one of latency | availability | quality | ratio
///   latency: {metric: ttft, threshold_ms: 1500}
///   # availability: {}
///   # quality: {}
///   # ratio: {good: ok_requests, total: requests}
/// alerting:                      # optional
///   min_events: 100              # minimum-events guard on the long window
///   for: 0s                      # pending time before firing
///   keep_firing_for: 0s          # hysteresis before resolving
///   tiers:                       # replaces the four standard tiers
///     - {name: page-1h, severity: page, budget_fraction: 0.02, long_window: 1h, short_window: 5m}
/// labels: {team: chat}           # optional, copied onto every alert
/// annotations: {runbook: https://…}   # optional
/// ```
public struct SLOSpec: Hashable, Sendable {
    public var name: String
    public var description: String?
    /// The objective as a fraction (0.995 for 99.5 %).
    public var objective: Double
    public var period: Duration
    public var filter: DimensionFilter
    public var groupBy: [AlertDimension]
    public var sli: SLIDefinition
    public var policy: BurnRatePolicy
    public var labels: [String: String]
    public var annotations: [String: String]
    /// The file it came from, for messages and `generatorURL`.
    public var sourceFile: String

    public init(
        name: String, description: String? = nil, objective: Double, period: Duration = .seconds(30 * 86_400),
        filter: DimensionFilter = DimensionFilter(), groupBy: [AlertDimension] = [], sli: SLIDefinition,
        policy: BurnRatePolicy = BurnRatePolicy(), labels: [String: String] = [:],
        annotations: [String: String] = [:], sourceFile: String = ""
    ) {
        self.name = name
        self.description = description
        self.objective = objective
        self.period = period
        self.filter = filter
        self.groupBy = groupBy
        self.sli = sli
        self.policy = policy
        self.labels = labels
        self.annotations = annotations
        self.sourceFile = sourceFile
    }

    /// The allowed error ratio, `1 − objective`.
    public var errorBudget: Double { 1 - objective }

    /// The rule name of one tier's alert series, `chat-ttft:page-1h`.
    public func ruleName(tier: BurnRateTier) -> String { "\(name):\(tier.name)" }
}
