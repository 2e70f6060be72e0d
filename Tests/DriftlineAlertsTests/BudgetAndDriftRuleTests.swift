import DriftlineAlerts
import Foundation
import Testing

/// The rule kinds over data other kinds do not read: cost states and drift results, each through
/// its own source protocol.
struct BudgetAndDriftRuleTests {
    struct Source: AlertDataSource, CostAlertSource, DriftAlertSource {
        var costs: [CostAlertRow] = []
        var psi: [String: [Double]] = [:]
        var detectionCounts: [String: Int] = [:]
        var centroids: [DriftRule.CentroidMetric: [String: Double]] = [:]
        func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts] { [:] }
        func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double] { [:] }
        func costAlerts() async throws -> [CostAlertRow] { costs }
        func recentPSI(feature: String, count: Int) async throws -> [String: [Double]] {
            psi.mapValues { Array($0.prefix(count)) }
        }
        func detections(signal: String, since start: Date) async throws -> [String: Int] { detectionCounts }
        func latestCentroidDistances(metric: DriftRule.CentroidMetric) async throws -> [String: Double] {
            centroids[metric] ?? [:]
        }
    }

    static func decode(_ yaml: String) throws -> any AlertRule {
        try AlertRuleKindRegistry.standard.decode(yaml: yaml, file: "r.yaml")
    }

    @Test func budgetStatesBecomeOneSeriesPerConditionAndSubject() async throws {
        let rule = try Self.decode(
            "kind: budget\nname: budgets\nconditions: [budget_80, budget_100, unpriced_model]\npage_on: [budget_100]\n")
        let source = Source(costs: [
            CostAlertRow(condition: "budget_50", subject: "search", value: 600, threshold: 1_000),
            CostAlertRow(condition: "budget_100", subject: "chat", value: 1_050, threshold: 1_000),
            CostAlertRow(condition: "unpriced_model", subject: "acme/new-model", value: 12, threshold: 0),
        ])
        let conditions = try await rule.evaluate(source: source, at: Date())
        #expect(conditions.map { $0.labels["condition"] } == ["budget_100", "unpriced_model"])
        #expect(conditions.map { $0.labels["severity"] } == ["page", "ticket"])
        #expect(conditions.map { $0.labels["subject"] } == ["chat", "acme/new-model"])
        #expect(conditions.allSatisfy { $0.isActive })

        // 80 % → 100 %: the tracker resolves the first series and fires the second.
        var tracker = AlertTracker()
        let at80 = try await rule.evaluate(
            source: Source(costs: [.init(condition: "budget_80", subject: "chat", value: 850, threshold: 1_000)]),
            at: Date())
        _ = tracker.apply(at80, from: rule.name, at: Date(timeIntervalSince1970: 0))
        let changes = tracker.apply(conditions, from: rule.name, at: Date(timeIntervalSince1970: 60))
        #expect(
            changes.map { "\($0.labels["condition"] ?? "") \($0.status)" }.sorted()
                == ["budget_100 firing", "budget_80 resolved", "unpriced_model firing"])
        #expect(throws: AlertSpecError.self) { try Self.decode("kind: budget\nname: b\nconditions: [budget_90]\n") }
    }

    @Test func psiFiresOnlyAfterTheConfiguredEvaluationsInARow() async throws {
        let rule = try Self.decode(
            "kind: drift\nname: ttft-psi\npsi: {feature: ttft, threshold: 0.2, consecutive: 3}\n")
        let source = Source(psi: [
            "{\"model\": \"a\"}": [0.31, 0.25, 0.22, 0.01],  // newest first: three in a row
            "{\"model\": \"b\"}": [0.40, 0.05, 0.30],  // broken by one stable evaluation
            "{\"model\": \"c\"}": [0.50, 0.50],  // not three evaluations yet
        ])
        let conditions = try await rule.evaluate(source: source, at: Date())
        #expect(conditions.map { $0.labels["grouping"] ?? "" } == source.psi.keys.sorted())
        #expect(conditions.map(\.isActive) == [true, false, false])
        #expect(conditions[0].annotations["value"] == "0.31")
    }

    @Test func aDetectionWithinTheWindowFiresForItsStream() async throws {
        let rule = try Self.decode(
            "kind: drift\nname: ttft-shift\nadwin: {signal: ttft, window: 10m}\nseverity: page\n")
        let conditions = try await rule.evaluate(
            source: Source(detectionCounts: ["{\"model\": \"a\"}": 2]), at: Date())
        #expect(conditions.count == 1 && conditions[0].isActive && conditions[0].labels["severity"] == "page")
        #expect(conditions[0].labels["stream"] == "{\"model\": \"a\"}")
        #expect(throws: AlertSpecError.self) { try Self.decode("kind: drift\nname: d\nseverity: page\n") }
        #expect(throws: AlertSpecError.self) {
            try Self.decode("kind: drift\nname: d\npsi: {feature: ttft, consecutive: 0}\n")
        }
    }

    @Test func aCentroidDistanceAtOrAboveTheThresholdFiresForItsGrouping() async throws {
        let rule = try Self.decode(
            "kind: drift\nname: topic-shift\ncentroid: {metric: euclidean, threshold: 0.5}\n")
        let source = Source(centroids: [
            .euclidean: ["{\"model\": \"a\"}": 0.7, "{\"model\": \"b\"}": 0.5, "{\"model\": \"c\"}": 0.49],
            .cosine: ["{\"model\": \"a\"}": 0.9],
        ])
        let conditions = try await rule.evaluate(source: source, at: Date())
        #expect(
            conditions.map { $0.labels["grouping"] ?? "" } == [
                "{\"model\": \"a\"}", "{\"model\": \"b\"}", "{\"model\": \"c\"}",
            ])
        #expect(conditions.map(\.isActive) == [true, true, false])
        #expect(conditions[0].annotations["value"] == "0.7")

        let cosine = try Self.decode("kind: drift\nname: topic\ncentroid: {threshold: 0.05}\n")
        #expect((cosine as? DriftRule)?.condition == .centroid(metric: .cosine, threshold: 0.05))
        let cosineConditions = try await cosine.evaluate(source: source, at: Date())
        #expect(cosineConditions.count == 1 && cosineConditions[0].isActive)

        for bad in [
            "centroid: {metric: manhattan, threshold: 0.1}", "centroid: {metric: cosine}",
            "centroid: {metric: cosine, threshold: 3}", "centroid: {threshold: 0}",
            "centroid: {threshold: 0.1, window: 5m}", "centroid: {threshold: 0.1}\npsi: {feature: ttft}",
        ] {
            #expect(throws: AlertSpecError.self) { try Self.decode("kind: drift\nname: d\n\(bad)\n") }
        }
    }
}
