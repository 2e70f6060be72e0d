public import Foundation

/// One cost condition the store reports (`dl_cost_alerts`): a budget past 50/80/100 %, a
/// forecast over budget, a model seen without a price.
public struct CostAlertRow: Hashable, Sendable {
    /// `budget_50`, `budget_80`, `budget_100`, `budget_forecast`, `unpriced_model`.
    public var condition: String
    /// The budget's name, or `provider/model` for an unpriced model.
    public var subject: String
    public var value: Double
    public var threshold: Double

    public init(condition: String, subject: String, value: Double, threshold: Double) {
        self.condition = condition
        self.subject = subject
        self.value = value
        self.threshold = threshold
    }
}

/// What a ``BudgetRule`` reads; the store conforms.
public protocol CostAlertSource: Sendable {
    func costAlerts() async throws -> [CostAlertRow]
}

/// The budget states the cost engine keeps (`dl_budget_state`, `dl_cost_alerts`) as alerts
/// (`kind: budget`):
///
/// ```yaml
/// kind: budget
/// name: budgets
/// conditions: [budget_80, budget_100, budget_forecast, unpriced_model]   # optional, default all
/// severity: ticket              # optional, default ticket
/// page_on: [budget_100]         # optional: these conditions page instead
/// labels: {team: platform}      # optional
/// ```
///
/// One series per condition and subject, labelled `condition` and `subject`; a budget moving
/// from 80 % to 100 % resolves the `budget_80` series and fires `budget_100`.
public struct BudgetRule: AlertRule, Hashable {
    public static let conditions = ["budget_50", "budget_80", "budget_100", "budget_forecast", "unpriced_model"]

    public var name: String
    public var conditions: Set<String>
    public var severity: AlertSeverity
    public var pageOn: Set<String>
    public var labels: [String: String]
    public var annotations: [String: String]
    public var sourceFile: String

    public init(
        name: String, conditions: Set<String> = Set(BudgetRule.conditions), severity: AlertSeverity = .ticket,
        pageOn: Set<String> = [], labels: [String: String] = [:], annotations: [String: String] = [:],
        sourceFile: String = ""
    ) {
        self.name = name
        self.conditions = conditions
        self.severity = severity
        self.pageOn = pageOn
        self.labels = labels
        self.annotations = annotations
        self.sourceFile = sourceFile
    }

    public init(spec: SpecMapping) throws(AlertSpecError) {
        _ = spec.contains("kind")
        let name = try RuleName.read(spec)
        let expected = "conditions among \(Self.conditions.joined(separator: ", "))"
        let conditions = try spec.optionalStringList("conditions") ?? Self.conditions
        let pageOn = try spec.optionalStringList("page_on") ?? []
        for (key, list) in [("conditions", conditions), ("page_on", pageOn)] {
            if let unknown = list.first(where: { !Self.conditions.contains($0) }) {
                throw spec.error(.invalidValue, key: key, expected: expected, found: unknown)
            }
        }
        let severity = try spec.severity()
        let labels = try spec.labels(reserved: ["alertname", "severity", "condition", "subject"])
        let annotations = try spec.optionalStringMap("annotations") ?? [:]
        try spec.rejectUnknownKeys()
        self.init(
            name: name, conditions: Set(conditions), severity: severity, pageOn: Set(pageOn), labels: labels,
            annotations: annotations, sourceFile: spec.file)
    }

    public func conditions(for rows: [CostAlertRow]) -> [AlertCondition] {
        rows.filter { conditions.contains($0.condition) }.map { row in
            var labels = self.labels
            labels["alertname"] = name
            labels["condition"] = row.condition
            labels["subject"] = row.subject
            labels["severity"] = pageOn.contains(row.condition) ? AlertSeverity.page.name : severity.name
            var notes = annotations
            notes["summary"] =
                notes["summary"]
                ?? (row.condition == "unpriced_model"
                    ? "\(row.subject) served \(SLOSpec.format(row.value)) requests without a price in the last day"
                    : "budget \(row.subject): \(row.condition) (\(SLOSpec.format(row.value)) of \(SLOSpec.format(row.threshold)) USD)")
            notes["value"] = SLOSpec.format(row.value)
            return AlertCondition(
                rule: name, labels: labels, annotations: notes, isActive: true, value: row.value,
                sourceFile: sourceFile)
        }
    }

    public func evaluate(source: any AlertDataSource, at time: Date) async throws -> [AlertCondition] {
        guard let costs = source as? any CostAlertSource else {
            throw UnsupportedSource(rule: name, needs: "CostAlertSource")
        }
        return conditions(for: try await costs.costAlerts())
    }
}

/// A rule kind given a store that cannot answer what it reads.
public struct UnsupportedSource: Error, CustomStringConvertible {
    public let rule: String
    public let needs: String
    public var description: String { "rule \(rule) needs a data source that is a \(needs)" }
}
