import DriftlineAlerts
import Foundation
import Testing

struct ThresholdRuleTests {
    struct FixedMetrics: EventCountSource, MetricSource {
        let values: [AlertGroup: Double]
        func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts] { [:] }
        func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double] { values }
    }

    static let rule = ThresholdRule(
        name: "chat-ttft-p99", metric: .quantile(0.99, histogram: "ttft_ms"), window: .seconds(300),
        comparison: .above, threshold: 2_000, pendingFor: .seconds(300), severity: .page, groupBy: [.model])

    @Test func eachGroupIsComparedWithTheThreshold() async throws {
        let source = FixedMetrics(values: [AlertGroup([.model: "a"]): 2_500, AlertGroup([.model: "b"]): 2_000])
        let conditions = try await Self.rule.evaluate(source: source, at: Date(timeIntervalSince1970: 0))
        #expect(conditions.map { $0.labels["model"] } == ["a", "b"])
        #expect(conditions.map(\.isActive) == [true, false])  // strictly above
        #expect(conditions.allSatisfy { $0.pendingFor == .seconds(300) && $0.labels["severity"] == "page" })
    }

    /// p99 TTFT above 2 s, evaluated every minute: fires after the condition held 5 minutes, not before.
    @Test func fiveMinutesAboveTheThresholdFireThroughTheStateMachine() {
        var tracker = AlertTracker()
        var firedAtMinute: Int?
        for minute in 0..<10 {
            let value = minute >= 2 ? 2_400.0 : 1_000
            let notifications = tracker.apply(
                Self.rule.conditions(for: [AlertGroup([.model: "a"]): value]), from: Self.rule.name,
                at: Date(timeIntervalSince1970: Double(minute * 60)))
            if !notifications.isEmpty, firedAtMinute == nil { firedAtMinute = minute }
        }
        #expect(firedAtMinute == 7)
    }

    @Test func metricsParseFromTheirWrittenForm() {
        #expect(AlertMetric.parse("p99.9(tpot_ms)") == .quantile(0.999, histogram: "tpot_ms"))
        #expect(AlertMetric.parse("mean(latency_ms)") == .mean(histogram: "latency_ms"))
        #expect(AlertMetric.parse("cost_usd_per_hour") == .costUSDPerHour)
        #expect(AlertMetric.parse("p100(ttft_ms)") == nil)
        #expect(AlertMetric.quantile(0.99, histogram: "ttft_ms").description == "p99(ttft_ms)")
    }
}
