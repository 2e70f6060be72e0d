/// Which alerts a receiver gets and how they are grouped for it: Alertmanager's route, flattened
/// to one level (every route whose matchers hold gets the alert).
public struct AlertRoute: Hashable, Sendable {
    public var receiver: WebhookReceiver
    /// Label equality; empty matches every alert.
    public var matchers: [String: String]
    public var grouping: NotificationGroups.Settings

    public init(
        receiver: WebhookReceiver, matchers: [String: String] = [:],
        grouping: NotificationGroups.Settings = NotificationGroups.Settings()
    ) {
        self.receiver = receiver
        self.matchers = matchers
        self.grouping = grouping
    }

    public func matches(_ labels: [String: String]) -> Bool {
        matchers.allSatisfy { labels[$0.key] == $0.value }
    }
}
