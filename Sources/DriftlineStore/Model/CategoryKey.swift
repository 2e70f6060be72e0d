/// One category of one categorical feature (finish reason, …) in one window and key.
public struct CategoryKey: Hashable, Sendable, Comparable {
    public var window: WindowKey
    /// The feature's name as stored (`finish_reason`).
    public var feature: String
    /// The category; "" when the event carries none.
    public var category: String

    public init(window: WindowKey, feature: String, category: String) {
        self.window = window
        self.feature = feature
        self.category = category
    }

    public static func < (a: CategoryKey, b: CategoryKey) -> Bool {
        if a.window != b.window { return a.window < b.window }
        return (a.feature, a.category) < (b.feature, b.category)
    }
}
