public import DriftlineCore

/// Which aggregate row an event folds into: the window and the values of the configured dimensions.
/// Dimensions the pipeline does not split by are "" (meaning "all"). Its columns are spelled once,
/// in `WindowKeySQL`.
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

    /// The value of `dimension` ("" for "all").
    public subscript(dimension: Dimension) -> String {
        get {
            switch dimension {
            case .model: model
            case .provider: provider
            case .app: app
            case .route: route
            case .tenant: tenant
            case .user: user
            case .team: team
            case .environment: environment
            case .modelVersion: modelVersion
            }
        }
        set {
            switch dimension {
            case .model: model = newValue
            case .provider: provider = newValue
            case .app: app = newValue
            case .route: route = newValue
            case .tenant: tenant = newValue
            case .user: user = newValue
            case .team: team = newValue
            case .environment: environment = newValue
            case .modelVersion: modelVersion = newValue
            }
        }
    }

    /// Writers sort rows by key so that concurrent flushes lock rows in the same order.
    public static func < (a: WindowKey, b: WindowKey) -> Bool {
        if a.windowStart != b.windowStart { return a.windowStart < b.windowStart }
        if a.windowSeconds != b.windowSeconds { return a.windowSeconds < b.windowSeconds }
        for dimension in Dimension.allCases where a[dimension] != b[dimension] {
            return a[dimension] < b[dimension]
        }
        return a.labelsJSON < b.labelsJSON
    }
}
