/// The attributes an event is aggregated by. Empty strings mean "not reported", so every
/// dimension can take part in a grouping key without optionals.
public struct EventDimensions: Sendable, Hashable {
    public var app: String
    public var route: String
    public var tenant: String
    public var user: String
    public var team: String
    public var environment: String
    public var modelVersion: String
    /// Free-form string attributes; which of them take part in aggregation keys is
    /// pipeline configuration.
    public var labels: [String: String]

    public init(
        app: String = "",
        route: String = "",
        tenant: String = "",
        user: String = "",
        team: String = "",
        environment: String = "",
        modelVersion: String = "",
        labels: [String: String] = [:]
    ) {
        self.app = app
        self.route = route
        self.tenant = tenant
        self.user = user
        self.team = team
        self.environment = environment
        self.modelVersion = modelVersion
        self.labels = labels
    }
}
