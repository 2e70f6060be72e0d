/// Which aggregate row an event folds into: the window and the values of the configured dimensions.
/// Dimensions the pipeline does not split by are "" (meaning "all").
public struct WindowKey: Hashable, Sendable, Comparable {
    /// Window start, in whole seconds since the Unix epoch.
    public var windowStart: Int64
    public var windowSeconds: Int32
    public var model: String
    public var provider: String
    public var app: String
    public var route: String
    public var tenant: String
    public var user: String
    public var team: String
    public var environment: String
    public var modelVersion: String
    /// The configured labels as a canonical JSON object (keys sorted), "{}" when none.
    public var labelsJSON: String

    public init(
        windowStart: Int64, windowSeconds: Int32, model: String = "", provider: String = "", app: String = "",
        route: String = "", tenant: String = "", user: String = "", team: String = "", environment: String = "",
        modelVersion: String = "", labelsJSON: String = "{}"
    ) {
        self.windowStart = windowStart
        self.windowSeconds = windowSeconds
        self.model = model
        self.provider = provider
        self.app = app
        self.route = route
        self.tenant = tenant
        self.user = user
        self.team = team
        self.environment = environment
        self.modelVersion = modelVersion
        self.labelsJSON = labelsJSON
    }

    /// Writers sort rows by key so that concurrent flushes lock rows in the same order.
    public static func < (a: WindowKey, b: WindowKey) -> Bool {
        if a.windowStart != b.windowStart { return a.windowStart < b.windowStart }
        if a.windowSeconds != b.windowSeconds { return a.windowSeconds < b.windowSeconds }
        return (a.model, a.provider, a.app, a.route, a.tenant, a.user)
            < (b.model, b.provider, b.app, b.route, b.tenant, b.user)
            || ((a.model, a.provider, a.app, a.route, a.tenant, a.user)
                == (b.model, b.provider, b.app, b.route, b.tenant, b.user)
                && (a.team, a.environment, a.modelVersion, a.labelsJSON)
                    < (b.team, b.environment, b.modelVersion, b.labelsJSON))
    }
}
