public import Foundation

/// Batches alert notifications for one receiver the way Alertmanager's route does, so existing receivers see
/// the rhythm they expect (prometheus.io/docs/alerting/latest/configuration/#route):
///
/// - alerts with the same values of the `groupBy` labels form a group (`groupBy` empty: one group);
/// - a new group is first sent `groupWait` after its first alert, so alerts that fire together arrive together;
/// - a group that changed (an alert fired or resolved) is sent again no sooner than `groupInterval` after its
///   last sending;
/// - a group that did not change but still has firing alerts is sent again every `repeatInterval`;
/// - a resolved alert goes out once, in the group's next sending, and then leaves the group.
///
/// A value: notifications and the evaluation time come in, batches to put in the outbox come out.
public struct NotificationGroups: Hashable, Sendable, Codable {
    public struct Settings: Hashable, Sendable, Codable {
        public var groupBy: [String]
        public var groupWait: Duration
        public var groupInterval: Duration
        public var repeatInterval: Duration

        /// Alertmanager's defaults: 30 s, 5 min, 4 h.
        public init(
            groupBy: [String] = ["alertname"], groupWait: Duration = .seconds(30),
            groupInterval: Duration = .seconds(300), repeatInterval: Duration = .seconds(4 * 3_600)
        ) {
            self.groupBy = groupBy
            self.groupWait = groupWait
            self.groupInterval = groupInterval
            self.repeatInterval = repeatInterval
        }
    }

    /// One sending: the group's labels and every alert it holds now, firing and newly resolved.
    public struct Batch: Hashable, Sendable {
        public var groupLabels: [String: String]
        public var notifications: [AlertNotification]
    }

    struct Group: Hashable, Sendable, Codable {
        var alerts: [AlertFingerprint: AlertNotification] = [:]
        var firstSeen: Date
        var lastSent: Date?
        var changed = true
    }

    public var settings: Settings
    private(set) var groups: [[String: String]: Group] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// No group holds an alert: nothing can fall due until a notification is added.
    public var isEmpty: Bool { groups.isEmpty }

    public mutating func add(_ notification: AlertNotification, at time: Date) {
        let key = Dictionary(
            uniqueKeysWithValues: settings.groupBy.compactMap { name in notification.labels[name].map { (name, $0) } })
        var group = groups[key] ?? Group(firstSeen: time)
        if group.alerts[notification.fingerprint] != notification {
            group.alerts[notification.fingerprint] = notification
            group.changed = true
        }
        groups[key] = group
    }

    /// The groups due at `time`, each as one batch ordered by fingerprint.
    public mutating func dueBatches(at time: Date) -> [Batch] {
        var batches: [Batch] = []
        for (key, var group) in groups {
            let due: Bool
            if let lastSent = group.lastSent {
                let since = time.timeIntervalSince(lastSent)
                let firing = group.alerts.values.contains { $0.status == .firing }
                due =
                    (group.changed && since >= settings.groupInterval.timeInterval)
                    || (firing && since >= settings.repeatInterval.timeInterval)
            } else {
                due = time.timeIntervalSince(group.firstSeen) >= settings.groupWait.timeInterval
            }
            guard due else { continue }
            batches.append(
                Batch(groupLabels: key, notifications: group.alerts.values.sorted { $0.fingerprint < $1.fingerprint }))
            group.alerts = group.alerts.filter { $0.value.status == .firing }
            group.lastSent = time
            group.changed = false
            groups[key] = group.alerts.isEmpty ? nil : group
        }
        return batches.sorted { $0.groupLabels.description < $1.groupLabels.description }
    }
}
