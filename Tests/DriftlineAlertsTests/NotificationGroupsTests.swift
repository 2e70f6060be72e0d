import DriftlineAlerts
import Foundation
import Testing

/// Oracle: a timeline worked by hand from Alertmanager's documented meaning of group_wait, group_interval and
/// repeat_interval (30 s, 5 min, 4 h).
struct NotificationGroupsTests {
    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 3_000_000 + seconds) }

    static func alert(_ model: String, _ status: AlertNotification.Status, endsAt: Double? = nil) -> AlertNotification {
        let labels = ["alertname": "chat-ttft", "model": model]
        return AlertNotification(
            fingerprint: AlertFingerprint(rule: "chat-ttft", labels: labels), status: status, labels: labels,
            annotations: [:], startsAt: at(0), endsAt: endsAt.map(at), sourceFile: "")
    }

    @Test func batchesFollowGroupWaitGroupIntervalAndRepeatInterval() {
        var groups = NotificationGroups()
        func models(_ batches: [NotificationGroups.Batch]) -> [String] {
            batches.flatMap { $0.notifications.map { "\($0.labels["model"] ?? "")-\($0.status.rawValue)" } }
        }
        groups.add(Self.alert("a", .firing), at: Self.at(0))
        groups.add(Self.alert("b", .firing), at: Self.at(10))
        #expect(groups.dueBatches(at: Self.at(29)).isEmpty)  // group_wait not over
        let first = groups.dueBatches(at: Self.at(30))
        #expect(first.map(\.groupLabels) == [["alertname": "chat-ttft"]])
        #expect(Set(models(first)) == ["a-firing", "b-firing"])
        groups.add(Self.alert("a", .resolved, endsAt: 60), at: Self.at(60))
        #expect(groups.dueBatches(at: Self.at(329)).isEmpty)  // changed, but group_interval not over
        let second = groups.dueBatches(at: Self.at(330))
        #expect(Set(models(second)) == ["a-resolved", "b-firing"])
        #expect(groups.dueBatches(at: Self.at(330 + 3_600)).isEmpty)  // unchanged: wait for repeat_interval
        #expect(models(groups.dueBatches(at: Self.at(330 + 4 * 3_600))) == ["b-firing"])  // the resolved one went once
        groups.add(Self.alert("b", .resolved, endsAt: 20_000), at: Self.at(20_000))
        #expect(models(groups.dueBatches(at: Self.at(20_000 + 300))) == ["b-resolved"])
        #expect(groups.dueBatches(at: Self.at(40_000)).isEmpty)  // group emptied and gone
    }
}
