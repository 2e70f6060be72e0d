public import Foundation

extension SLOSpec: AlertRule {
    public func evaluate(source: any AlertDataSource, at time: Date) async throws -> [AlertCondition] {
        try await evaluation(source: source, at: time).conditions ?? []
    }

    /// The burn-rate conditions and the error budget left over the period, from one read of the counts.
    public func evaluation(source: any AlertDataSource, at time: Date) async throws -> AlertEngine.Evaluation {
        let counts = try await BurnRateEvaluator.gatherCounts(for: self, from: source, at: time)
        return AlertEngine.Evaluation(
            rule: name, conditions: conditions(for: BurnRateEvaluator.evaluate(self, counts: counts)),
            budget: SLOErrorBudget(self, counts: counts, end: time))
    }

    /// One series per group and tier. Labels: the SLO's own labels, the group's dimensions, `alertname` and
    /// `slo` (the SLO name), `severity` (page/ticket), `burn_tier` (tier name) and `burn_window` (long window),
    /// so an Alertmanager inhibit rule can mute the slower tier (or the ticket) while the faster page fires for
    /// the same `slo` and group.
    public func conditions(for results: [GroupBurnRate]) -> [AlertCondition] {
        results.flatMap { result in
            result.tiers.map { outcome in
                var labels = self.labels.merging(result.group.labels) { _, group in group }
                labels["alertname"] = name
                labels["slo"] = name
                labels["severity"] = outcome.tier.severity.name
                labels["burn_tier"] = outcome.tier.name
                labels["burn_window"] = AlertDuration.format(outcome.tier.longWindow)
                var notes = annotations
                notes["summary"] =
                    notes["summary"]
                    ?? "SLO \(name) burns its error budget above \(Self.format(outcome.factor))x over \(AlertDuration.format(outcome.tier.longWindow))"
                notes["burn_rate_long"] = outcome.long.burnRate.map(Self.format) ?? "no events"
                notes["burn_rate_short"] = outcome.short.burnRate.map(Self.format) ?? "no events"
                notes["burn_rate_threshold"] = Self.format(outcome.factor)
                notes["objective"] = Self.format(objective * 100) + "%"
                if let description, notes["description"] == nil { notes["description"] = description }
                return AlertCondition(
                    rule: ruleName(tier: outcome.tier), labels: labels, annotations: notes,
                    isActive: outcome.verdict == .burning, value: outcome.long.burnRate,
                    pendingFor: policy.pendingFor, keepFiringFor: policy.keepFiringFor, sourceFile: sourceFile)
            }
        }
    }

    static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
