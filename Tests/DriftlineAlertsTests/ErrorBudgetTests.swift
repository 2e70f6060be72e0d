import DriftlineAlerts
import Foundation
import Synchronization
import Testing

/// The error budget left over an SLO's period, against hand computations and a brute-force count of a
/// generated stream.
struct ErrorBudgetTests {
    static let end = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01T00:00:00Z
    static let thirtyDays = Duration.seconds(30 * 86_400)

    static func slo(objective: Double, groupBy: [AlertDimension] = [], period: Duration = thirtyDays) -> SLOSpec {
        SLOSpec(
            name: "chat-availability", objective: objective, period: period, groupBy: groupBy,
            sli: SLIDefinition(good: CounterReference(.okRequests), total: CounterReference(.requests)))
    }

    /// 99.5 % allows 50 bad events in 10 000. By hand: 30 bad leave 20 of 50 (0.4); 50 spend it exactly (0);
    /// 100 spend it twice (−1); none leave it whole (1).
    @Test(arguments: [(9_970, 0.4), (9_950, 0.0), (9_900, -1.0), (10_000, 1.0)] as [(Int64, Double)])
    func remainingIsTheShareOfAllowedBadEventsNotSpent(good: Int64, remaining: Double) throws {
        let budget = GroupErrorBudget(
            group: .all, counts: EventCounts(good: good, total: 10_000), errorBudget: 1 - 0.995)
        #expect(abs(try #require(budget.remaining) - remaining) < 1e-9, "\(good) good of 10 000")
        #expect(abs(try #require(budget.errorRatio) - Double(10_000 - good) / 10_000) < 1e-15)
    }

    @Test func withoutEventsNothingIsKnownToBeLeft() {
        let budget = GroupErrorBudget(group: .all, counts: .zero, errorBudget: 0.01)
        #expect(budget.remaining == nil)
        #expect(budget.errorRatio == nil)
    }

    /// The period's window gives the budget; an ungrouped SLO reports `all` even without events, a grouped
    /// one every group with events in the period (sorted), not those seen in a tier window only.
    @Test func theBudgetReadsThePeriodWindowOnly() {
        let slo = Self.slo(objective: 0.99)
        let oneHour = Duration.seconds(3_600)
        let empty = SLOErrorBudget(
            slo, counts: WindowedEventCounts([oneHour: [.all: EventCounts(good: 1, total: 2)]]), end: Self.end)
        #expect(empty.groups.map(\.group) == [.all])
        #expect(empty.groups[0].counts == .zero && empty.groups[0].remaining == nil)
        #expect(empty.slo == "chat-availability" && empty.objective == 0.99 && empty.period == Self.thirtyDays)
        #expect(empty.end == Self.end)

        let grouped = Self.slo(objective: 0.99, groupBy: [.model])
        let b = AlertGroup([.model: "b"])
        let a = AlertGroup([.model: "a"])
        let counts = WindowedEventCounts([
            Self.thirtyDays: [b: EventCounts(good: 990, total: 1_000), a: EventCounts(good: 995, total: 1_000)],
            oneHour: [AlertGroup([.model: "c"]): EventCounts(good: 0, total: 5)],
        ])
        let budget = SLOErrorBudget(grouped, counts: counts, end: Self.end)
        #expect(budget.groups.map(\.group) == [a, b])
        #expect(abs((budget.groups[0].remaining ?? .nan) - 0.5) < 1e-9)  // 5 bad of 10 allowed
        #expect(abs(budget.groups[1].remaining ?? .nan) < 1e-9)  // 10 of 10
    }

    /// A source that answers every window with the same counts and records what it was asked.
    final class RecordingSource: EventCountSource, MetricSource {
        let calls = Mutex<[[Duration]]>([])

        func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts] {
            Issue.record("asked for one window (\(query.window)) instead of all at once")
            return [:]
        }

        func eventCounts(_ query: EventCountQuery, windows: [Duration]) async throws
            -> [Duration: [AlertGroup: EventCounts]]
        {
            calls.withLock { $0.append(windows) }
            let quiet = AlertGroup([.model: "quiet"])
            var result: [Duration: [AlertGroup: EventCounts]] = [:]
            for window in windows {
                result[window] = [AlertGroup([.model: "busy"]): EventCounts(good: 9_000, total: 10_000)]
            }
            // A model with traffic weeks ago only.
            result[ErrorBudgetTests.thirtyDays]?[quiet] = EventCounts(good: 10, total: 10)
            return result
        }

        func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double] { [:] }
    }

    @Test func oneCallReadsTheTierWindowsAndThePeriodAndOnlyRecentGroupsGetSeries() async throws {
        let slo = Self.slo(objective: 0.999, groupBy: [.model])
        let source = RecordingSource()
        let evaluation = try await slo.evaluation(source: source, at: Self.end)
        #expect(source.calls.withLock { $0 } == [slo.policy.requiredWindows + [Self.thirtyDays]])
        #expect(evaluation.rule == "chat-availability")
        let conditions = try #require(evaluation.conditions)
        #expect(conditions.count == slo.policy.tiers.count)
        #expect(conditions.allSatisfy { $0.labels["model"] == "busy" && $0.isActive })
        let budget = try #require(evaluation.budget)
        #expect(budget.groups.map { $0.group.labels["model"] } == ["busy", "quiet"])
        #expect(abs((budget.groups[0].remaining ?? .nan) - (1 - 0.1 / 0.001)) < 1e-6)  // −99: 100 × overspent
        #expect(budget.groups[1].remaining == 1)
        // The conditions alone, as other callers read them, are the same.
        #expect(try await slo.evaluate(source: source, at: Self.end) == conditions)
    }

    /// Oracle: the events of the period counted one by one, per model, `1 − bad / (allowed share × total)`.
    @Test func budgetsMatchABruteForceCountOfAGeneratedStream() async throws {
        var random = SeededGenerator(state: 7)
        let models = ["gpt-4o", "claude", "llama"]
        let start = Self.end.addingTimeInterval(-4 * 86_400)
        var events: [StreamEvent] = []
        for _ in 0..<20_000 {
            let model = models[Int.random(in: 0..<models.count, using: &random)]
            let errorProbability = model == "llama" ? 0.02 : model == "claude" ? 0.004 : 0.0005
            events.append(
                StreamEvent(
                    time: start.addingTimeInterval(Double.random(in: 0..<(4 * 86_400), using: &random)),
                    group: AlertGroup([.model: model]),
                    good: Double.random(in: 0..<1, using: &random) >= errorProbability))
        }
        // A two-day period inside four days of events: the cut matters.
        let slo = Self.slo(objective: 0.995, groupBy: [.model], period: .seconds(2 * 86_400))
        let source = MinuteBucketSource(events: events)
        for hours in [0.0, 7, 30] {
            let end = Self.end.addingTimeInterval(-hours * 3_600)
            let budget = try #require(try await slo.evaluation(source: source, at: end).budget)
            #expect(budget.groups.map { $0.group.labels["model"] ?? "" } == models.sorted())
            for group in budget.groups {
                let periodStart = end.addingTimeInterval(-2 * 86_400)
                let inPeriod = events.filter {
                    $0.group == group.group && $0.time >= periodStart && $0.time < end
                }
                let bad = Double(inPeriod.filter { !$0.good }.count)
                let allowed = 0.005 * Double(inPeriod.count)
                #expect(group.counts.total == Int64(inPeriod.count), "\(group.group) at \(end)")
                #expect(abs((group.remaining ?? .nan) - (1 - bad / allowed)) < 1e-9, "\(group.group) at \(end)")
            }
        }
    }
}
