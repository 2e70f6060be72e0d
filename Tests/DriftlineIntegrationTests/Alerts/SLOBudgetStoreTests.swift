import DriftlineAlerts
import DriftlineCore
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// `dl_slo_budgets`: what the alert service's evaluations store, against a brute-force count over the
/// events; a later evaluation updates the rows, an older one does not, and a removed SLO's rows go.
@Suite("SLO budget store")
struct SLOBudgetStoreTests {
    static let ttft = SLOSpec(
        name: "chat-ttft", objective: 0.95, filter: DimensionFilter([.app: ["chat"]]), groupBy: [.model],
        sli: SLIDefinition(
            good: CounterReference(.ttftAtOrBelow, thresholdMilliseconds: 1_500), total: CounterReference(.ttftMeasured)
        ))
    static let availability = SLOSpec(
        name: "availability", objective: 0.99,
        sli: SLIDefinition(good: CounterReference(.okRequests), total: CounterReference(.requests)))
    static let engine = AlertEngine(routes: [], externalURL: "http://driftline.test")

    struct Row: Equatable, CustomStringConvertible {
        var slo: String
        var model: String?
        var good: Int64
        var total: Int64
        var errorRatio: Double?
        var remaining: Double?
        var objective: Double
        var periodSeconds: Int64
        var evaluatedAt: Double

        var description: String { "\(slo) \(model ?? "{}") \(good)/\(total) \(remaining ?? .nan)" }
    }

    static func rows(_ client: PostgresClient) async throws -> [Row] {
        var rows: [Row] = []
        for try await (slo, model, good, total, ratio, remaining, objective, period, at) in try await client.query(
            """
            SELECT slo, group_labels ->> 'model', good, total, error_ratio, budget_remaining, objective,
                   period_seconds, extract(epoch FROM evaluated_at)::float8
            FROM dl_slo_budgets ORDER BY slo, group_labels ->> 'model'
            """
        ).decode((String, String?, Int64, Int64, Double?, Double?, Double, Int64, Double).self) {
            rows.append(
                Row(
                    slo: slo, model: model, good: good, total: total, errorRatio: ratio, remaining: remaining,
                    objective: objective, periodSeconds: period, evaluatedAt: at))
        }
        return rows
    }

    /// The rows an evaluation at `end` must leave, counted event by event: 1 − (bad / total) / (1 − objective).
    static func expected(_ events: [LLMEvent], end: Double) -> [Row] {
        let before = events.filter { Double($0.start.microsecondsSinceEpoch) / 1e6 < end }
        func row(_ slo: SLOSpec, model: String?, good: Int, total: Int) -> Row {
            let ratio = Double(total - good) / Double(total)
            return Row(
                slo: slo.name, model: model, good: Int64(good), total: Int64(total), errorRatio: ratio,
                remaining: 1 - ratio / (1 - slo.objective), objective: slo.objective, periodSeconds: 30 * 86_400,
                evaluatedAt: end)
        }
        let ok = before.filter { $0.status == .ok }.count
        var rows = [row(availability, model: nil, good: ok, total: before.count)]
        for model in ["a", "b"] {
            let chat = before.filter { $0.model == model && $0.dimensions.app == "chat" }
            let ttfts = chat.compactMap(\.ttftMilliseconds)
            rows.append(row(ttft, model: model, good: ttfts.filter { $0 <= 1_500 }.count, total: ttfts.count))
        }
        return rows
    }

    static func expectRows(_ stored: [Row], _ expected: [Row], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(stored.count == expected.count, "\(stored)", sourceLocation: sourceLocation)
        for (row, wanted) in zip(stored, expected) {
            var exact = row
            exact.errorRatio = wanted.errorRatio
            exact.remaining = wanted.remaining
            #expect(exact == wanted, sourceLocation: sourceLocation)
            #expect(abs((row.errorRatio ?? .nan) - (wanted.errorRatio ?? .nan)) < 1e-12, "\(row)")
            #expect(abs((row.remaining ?? .nan) - (wanted.remaining ?? .nan)) < 1e-9, "\(row)")
        }
    }

    @Test func evaluationsUpsertEachGroupsBudgetAndARemovedSLOsRowsGo() async throws {
        try await withTestClient { client, _ in
            let events = AlertStoreTests.events()
            try await AlertStoreTests.store(client, events: events)
            let logger = AlertStoreTests.logger
            let store = PostgresAlertStore(client: client, logger: logger)
            let service = AlertService(
                rules: [Self.ttft, Self.availability], routes: [], externalURL: "http://driftline.test", store: store,
                every: .seconds(10), logger: logger)
            let known: Set<String> = [Self.ttft.name, Self.availability.name]
            let half = Double(AlertStoreTests.hour + 1_800)
            let whole = Double(AlertStoreTests.hour + 3_600)

            for end in [half, whole] {
                let time = Date(timeIntervalSince1970: end)
                try await store.step(
                    Self.engine, evaluations: await service.evaluateRules(at: time), knownRules: known, at: time)
                let expected = Self.expected(events, end: end)
                Self.expectRows(try await Self.rows(client), expected)
                // TTFT around the threshold and 1–5 % errors overspend both: negative budgets are kept as they are.
                #expect(expected.allSatisfy { ($0.remaining ?? 1) < 0 }, "\(expected)")
            }

            // A member that read earlier but steps later changes nothing.
            let late = Date(timeIntervalSince1970: half)
            try await store.step(
                Self.engine, evaluations: await service.evaluateRules(at: late), knownRules: known, at: late)
            Self.expectRows(try await Self.rows(client), Self.expected(events, end: whole))

            // A failed evaluation carries no budget: the rows stay as they were.
            let later = Date(timeIntervalSince1970: whole + 60)
            try await store.step(
                Self.engine, evaluations: [.init(rule: Self.ttft.name, conditions: nil)], knownRules: known, at: later)
            Self.expectRows(try await Self.rows(client), Self.expected(events, end: whole))

            // A month later no event is in the period: the grouped SLO's groups go, the ungrouped one keeps
            // its row without a ratio or a budget (configured, nothing served).
            let monthLater = whole + 31 * 86_400
            let quiet = Date(timeIntervalSince1970: monthLater)
            try await store.step(
                Self.engine, evaluations: await service.evaluateRules(at: quiet), knownRules: known, at: quiet)
            #expect(
                try await Self.rows(client) == [
                    Row(
                        slo: Self.availability.name, model: nil, good: 0, total: 0, errorRatio: nil, remaining: nil,
                        objective: 0.99, periodSeconds: 30 * 86_400, evaluatedAt: monthLater)
                ])

            // The availability file removed: its row goes.
            let removed = Date(timeIntervalSince1970: monthLater + 60)
            let ttftOnly = AlertService(
                rules: [Self.ttft], routes: [], externalURL: "http://driftline.test", store: store,
                every: .seconds(10), logger: logger)
            let evaluations = await ttftOnly.evaluateRules(at: removed)
            try await store.step(Self.engine, evaluations: evaluations, knownRules: [Self.ttft.name], at: removed)
            #expect(try await Self.rows(client) == [])
        }
    }
}
