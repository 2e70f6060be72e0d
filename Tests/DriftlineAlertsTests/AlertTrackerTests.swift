import DriftlineAlerts
import Foundation
import Testing

struct AlertTrackerTests {
    static func condition(model: String, active: Bool) -> AlertCondition {
        AlertCondition(
            rule: "chat-ttft-p99", labels: ["alertname": "chat-ttft-p99", "model": model, "severity": "page"],
            annotations: ["value": active ? "2500" : "900"], isActive: active)
    }

    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 2_000_000 + seconds) }

    @Test func aSeriesThatDisappearsResolvesAndIsForgotten() {
        var tracker = AlertTracker()
        let fired = tracker.apply([Self.condition(model: "a", active: true)], from: "chat-ttft-p99", at: Self.at(0))
        #expect(fired.map(\.status) == [.firing])
        let resolved = tracker.apply([], from: "chat-ttft-p99", at: Self.at(30))
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.endsAt == Self.at(30))
        #expect(tracker.series.isEmpty)
    }

    @Test func anotherRulesEvaluationLeavesTheSeriesAlone() {
        var tracker = AlertTracker()
        _ = tracker.apply([Self.condition(model: "a", active: true)], from: "chat-ttft-p99", at: Self.at(0))
        #expect(tracker.apply([], from: "other-rule", at: Self.at(30)).isEmpty)
        #expect(tracker.firing.count == 1)
    }

    /// The persisted tracker (JSON, as the store keeps it) restored after a restart neither re-pages the firing
    /// alert nor forgets it: the next inactive evaluation still sends the resolution with the original startsAt.
    @Test func aRestoredTrackerDoesNotRepageAndStillResolves() throws {
        var tracker = AlertTracker()
        let firing = tracker.apply([Self.condition(model: "a", active: true)], from: "chat-ttft-p99", at: Self.at(0))
        let stored = try JSONEncoder().encode(tracker)
        var restored = try JSONDecoder().decode(AlertTracker.self, from: stored)
        #expect(restored == tracker)
        #expect(
            restored.apply([Self.condition(model: "a", active: true)], from: "chat-ttft-p99", at: Self.at(60)).isEmpty)
        let resolved = restored.apply(
            [Self.condition(model: "a", active: false)], from: "chat-ttft-p99", at: Self.at(90))
        #expect(resolved.count == 1)
        #expect(resolved.first?.fingerprint == firing.first?.fingerprint)
        #expect(resolved.first?.startsAt == Self.at(0))
        #expect(resolved.first?.status == .resolved)
    }
}
