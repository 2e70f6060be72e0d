import Foundation

/// The body of one webhook call in Alertmanager's webhook format, version 4
/// (prometheus.io/docs/alerting/latest/configuration/#webhook_config), so existing receivers work unchanged.
///
/// Times are RFC 3339 in UTC with milliseconds; a firing alert's `endsAt` is the zero time
/// `0001-01-01T00:00:00Z`, as Alertmanager sends it. `generatorURL` is `externalURL` followed by the rule file.
public struct WebhookPayload: Hashable, Sendable, Codable {
    public struct Alert: Hashable, Sendable, Codable {
        public var status: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: String
        public var endsAt: String
        public var generatorURL: String
        public var fingerprint: String
    }

    public var version: String
    public var groupKey: String
    public var truncatedAlerts: Int
    public var status: String
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    public var externalURL: String
    public var alerts: [Alert]

    /// Groups `notifications` for `receiver`. The group is `firing` while any of its alerts fires; common labels
    /// and annotations are those every alert carries with the same value; `groupKey` is `{}:` followed by the
    /// group labels as `{name="value",…}` in name order, Alertmanager's form for the root route.
    public init(
        receiver: String, groupLabels: [String: String], notifications: [AlertNotification], externalURL: String
    ) {
        self.version = "4"
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.externalURL = externalURL
        self.truncatedAlerts = 0
        let pairs = groupLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }
        self.groupKey = "{}:{" + pairs.joined(separator: ",") + "}"
        self.status = notifications.contains { $0.status == .firing } ? "firing" : "resolved"
        self.commonLabels = Self.common(notifications.map(\.labels))
        self.commonAnnotations = Self.common(notifications.map(\.annotations))
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        self.alerts = notifications.map { notification in
            Alert(
                status: notification.status.rawValue, labels: notification.labels,
                annotations: notification.annotations, startsAt: RFC3339.format(notification.startsAt),
                endsAt: notification.endsAt.map(RFC3339.format) ?? RFC3339.zeroTime,
                generatorURL: notification.sourceFile.isEmpty ? base : "\(base)/\(notification.sourceFile)",
                fingerprint: notification.fingerprint.hex)
        }
    }

    /// The JSON body, keys sorted so that the same payload always signs to the same bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    private static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var result = sets.first else { return [:] }
        for set in sets.dropFirst() {
            result = result.filter { set[$0.key] == $0.value }
        }
        return result
    }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
