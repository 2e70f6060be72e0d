import DriftlineAlerts
import Foundation
import Testing

struct BurnRateEvaluatorTests {
    static let start = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01T00:00:00Z, a minute boundary

    static func availabilitySLO(objective: Double, groupBy: [AlertDimension] = [], minimumEvents: Int = 100) -> SLOSpec
    {
        SLOSpec(
            name: "chat-availability", objective: objective, groupBy: groupBy,
            sli: SLIDefinition(good: CounterReference(.okRequests), total: CounterReference(.requests)),
            policy: BurnRatePolicy(minimumEvents: minimumEvents))
    }

    /// Oracle: for every evaluation time and tier, count the generated events of each window one by one and apply
    /// the workbook's condition written independently, `errors × long > fraction × period × (1 − objective) ×
    /// total` for both windows. Error bursts of varying strength make every tier fire somewhere in the stream.
    @Test func verdictsMatchBruteForceCountsOnAGeneratedStream() async throws {
        var random = SeededGenerator(state: 42)
        let models = ["gpt-4o", "claude", "llama"]
        var events: [StreamEvent] = []
        let hours = 4 * 24
        for hour in 0..<hours {
            // Error probability per hour: mostly healthy, with incidents of several strengths.
            let incident = Double.random(in: 0..<1, using: &random)
            let errorProbability = incident < 0.75 ? 0.0005 : incident < 0.9 ? 0.01 : incident < 0.97 ? 0.05 : 0.4
            for _ in 0..<Int.random(in: 50...150, using: &random) {
                let second = Double(hour * 3_600) + Double.random(in: 0..<3_600, using: &random)
                let model = models[Int.random(in: 0..<models.count, using: &random)]
                events.append(
                    StreamEvent(
                        time: Self.start.addingTimeInterval(second), group: AlertGroup([.model: model]),
                        good: Double.random(in: 0..<1, using: &random) >= errorProbability))
            }
        }
        let slo = Self.availabilitySLO(objective: 0.999, groupBy: [.model], minimumEvents: 20)
        let source = MinuteBucketSource(events: events)
        var verdictsSeen: Set<String> = []
        var evaluations = 0
        for step in stride(from: 3 * 24 * 60, through: hours * 60, by: 37) {
            let end = Self.start.addingTimeInterval(Double(step * 60))
            let counts = try await BurnRateEvaluator.gatherCounts(for: slo, from: source, at: end)
            let results = BurnRateEvaluator.evaluate(slo, counts: counts)
            for result in results {
                for outcome in result.tiers {
                    let expected = Self.bruteForceVerdict(
                        events: events, group: result.group, end: end, tier: outcome.tier, slo: slo)
                    #expect(outcome.verdict == expected, "\(result.group) \(outcome.tier.name) at \(end)")
                    verdictsSeen.insert("\(outcome.tier.name) \(outcome.verdict)")
                    evaluations += 1
                }
            }
        }
        #expect(evaluations > 400)
        for tier in BurnRateTier.standard {
            #expect(verdictsSeen.contains("\(tier.name) burning"), "the stream never makes \(tier.name) burn")
            #expect(verdictsSeen.contains("\(tier.name) withinBudget"))
        }
    }

    static func bruteForceVerdict(
        events: [StreamEvent], group: AlertGroup, end: Date, tier: BurnRateTier, slo: SLOSpec
    ) -> TierVerdict {
        func counts(_ window: Duration) -> (errors: Int, total: Int) {
            let start = end.addingTimeInterval(-Double(window.components.seconds))
            var errors = 0
            var total = 0
            for event in events where event.group == group && event.time >= start && event.time < end {
                total += 1
                if !event.good { errors += 1 }
            }
            return (errors, total)
        }
        let long = counts(tier.longWindow)
        let short = counts(tier.shortWindow)
        if long.total < slo.policy.minimumEvents { return .insufficientEvents }
        let period = Double(slo.period.components.seconds)
        func burns(_ c: (errors: Int, total: Int), window: Duration) -> Bool {
            c.total > 0
                && Double(c.errors) * Double(tier.longWindow.components.seconds)
                    > tier.budgetFraction * period * (1 - slo.objective) * Double(c.total)
        }
        return burns(long, window: tier.longWindow) && burns(short, window: tier.shortWindow) ? .burning : .withinBudget
    }

    /// The acceptance scenario: 99.9 %, steady 1 request/s, 100 % errors for 10 minutes, evaluated every
    /// 30 s. The page must fire within the first 5-minute short window and resolve within one short window after
    /// the errors stop.
    @Test func aTenMinuteOutagePagesWithinFiveMinutesAndResolvesWithinFiveMinutesAfter() async throws {
        // A day of healthy traffic before the incident: enough history for the page tiers' windows.
        let incidentStart = Self.start.addingTimeInterval(86_400)
        let incidentEnd = incidentStart.addingTimeInterval(600)
        var events: [StreamEvent] = []
        var second = 0.0
        while second < 86_400 + 2 * 3_600 {
            let time = Self.start.addingTimeInterval(second)
            events.append(StreamEvent(time: time, group: .all, good: !(time >= incidentStart && time < incidentEnd)))
            second += 1
        }
        var slo = Self.availabilitySLO(objective: 0.999)
        slo.policy.tiers = slo.policy.tiers.filter { $0.severity == .page }
        let source = MinuteBucketSource(events: events)
        var tracker = AlertTracker()
        var firedAt: Date?
        var resolvedAt: Date?
        var firedTiers: Set<String> = []
        var time = incidentStart.addingTimeInterval(-600)
        while time < incidentEnd.addingTimeInterval(3_600) {
            let conditions = try await slo.evaluate(source: source, at: time)
            for notification in tracker.apply(conditions, from: slo.name, at: time)
            where notification.labels["burn_tier"] == "page-1h" {
                if notification.status == .firing { firedAt = firedAt ?? time } else { resolvedAt = resolvedAt ?? time }
            }
            firedTiers.formUnion(tracker.firing.values.compactMap { $0.labels["burn_tier"] })
            time.addTimeInterval(30)
        }
        let fired = try #require(firedAt)
        let resolved = try #require(resolvedAt)
        #expect(fired.timeIntervalSince(incidentStart) <= 300)
        #expect(resolved.timeIntervalSince(incidentEnd) <= 300)
        #expect(firedTiers.contains("page-6h"))
        #expect(!tracker.firing.values.contains { $0.labels["burn_tier"] == "page-1h" })
    }

    @Test func oneFailureAmongTenRequestsDoesNotPage() {
        let slo = Self.availabilitySLO(objective: 0.999)
        var counts = WindowedEventCounts()
        for window in slo.policy.requiredWindows { counts.byWindow[window] = [.all: EventCounts(good: 9, total: 10)] }
        let results = BurnRateEvaluator.evaluate(slo, counts: counts)
        #expect(results.count == 1)
        #expect(results[0].tiers.allSatisfy { $0.verdict == .insufficientEvents })
        #expect(slo.conditions(for: results).allSatisfy { !$0.isActive })
    }

    @Test func anEmptyShortWindowDoesNotBurnAndBurnRateIsErrorRatioOverBudget() {
        let slo = Self.availabilitySLO(objective: 0.995)
        let tier = slo.policy.tiers[0]
        var counts = WindowedEventCounts()
        counts.byWindow[tier.longWindow] = [.all: EventCounts(good: 900, total: 1_000)]
        let result = BurnRateEvaluator.evaluate(slo, counts: counts)[0].tiers[0]
        #expect(abs((result.long.burnRate ?? 0) - 20) < 1e-9)  // 10 % errors / 0.5 % budget
        #expect(result.short.burnRate == nil)
        #expect(result.verdict == .withinBudget)
    }

    @Test func conditionsCarrySeverityTierAndGroupLabels() {
        let slo = Self.availabilitySLO(objective: 0.999, groupBy: [.model])
        var counts = WindowedEventCounts()
        for window in slo.policy.requiredWindows {
            counts.byWindow[window] = [AlertGroup([.model: "gpt-4o"]): EventCounts(good: 0, total: 1_000)]
        }
        let conditions = slo.conditions(for: BurnRateEvaluator.evaluate(slo, counts: counts))
        #expect(conditions.count == 4)
        #expect(conditions.allSatisfy { $0.isActive })
        #expect(conditions.map { $0.labels["burn_tier"] } == ["page-1h", "page-6h", "ticket-1d", "ticket-3d"])
        #expect(conditions.map { $0.labels["severity"] } == ["page", "page", "ticket", "ticket"])
        #expect(conditions.allSatisfy { $0.labels["model"] == "gpt-4o" && $0.labels["slo"] == "chat-availability" })
        #expect(Set(conditions.map(\.fingerprint)).count == 4)
    }
}
