public import DriftlineAlerts
import DriftlineCore
import Foundation

extension PipelineConfiguration {
    /// The rules of `alerts.rules`, checked against what this pipeline stores: every file valid
    /// (the first error is quoted; `driftline alerts check` lists them all), filters and groupings
    /// only over `aggregation.dimensions` (other dimensions hold "" in the store), and counters
    /// that are stored. Empty with `alerts: off`, and when the default folder does not exist.
    public func alertRules() throws -> [any AlertRule] {
        guard let alerts else { return [] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: alerts.rules, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            guard alerts.rulesConfigured else { return [] }
            throw ConfigurationError(file: nil, key: "alerts.rules", "no folder of rule files at \(alerts.rules)")
        }
        let outcome = AlertRuleLoader().load(directory: alerts.rules)
        if let first = outcome.errors.first {
            let more = outcome.errors.count > 1 ? " (and \(outcome.errors.count - 1) more)" : ""
            throw ConfigurationError(
                file: nil, key: "alerts.rules",
                "\(first)\(more); `driftline alerts check \(alerts.rules)` lists every error")
        }
        let stored = Set(aggregation.dimensions.map(\.rawValue))
        for rule in outcome.rules {
            let (filter, groupBy): (DimensionFilter, [AlertDimension]) =
                switch rule {
                case let slo as SLOSpec: (slo.filter, slo.groupBy)
                case let threshold as ThresholdRule: (threshold.filter, threshold.groupBy)
                default: (DimensionFilter(), [])
                }
            let used = Set(filter.allowedValues.keys.map(\.rawValue)).union(groupBy.map(\.rawValue))
            if let missing = used.subtracting(stored).sorted().first {
                throw ConfigurationError(
                    file: nil, key: "alerts.rules",
                    "\(rule.sourceFile): rule \(rule.name) filters or groups by \(missing), which the pipeline does "
                        + "not split by; add it to aggregation.dimensions")
            }
        }
        if let problem = PostgresAlertStore.unavailableCounters(in: outcome.rules).first {
            throw ConfigurationError(file: nil, key: "alerts.rules", problem)
        }
        if quality == nil, let slo = Self.qualitySLO(in: outcome.rules) {
            throw ConfigurationError(
                file: nil, key: "alerts.rules",
                "\(slo.sourceFile): SLO \(slo.name) counts faithfulness samples, but nothing is sampled; "
                    + "configure the quality: section")
        }
        return outcome.rules
    }

    /// The latency thresholds the SLOs among `rules` declare, for ``ThresholdCounter``.
    static func ingestThresholds(_ rules: [any AlertRule]) -> [ThresholdCounter.Threshold] {
        IngestThresholds.counters(in: rules).compactMap { counter in
            guard let milliseconds = counter.thresholdMilliseconds,
                let metric = ThresholdCounter.Metric(
                    rawValue: String(counter.counter.name.prefix { $0 != "_" }))
            else { return nil }
            return ThresholdCounter.Threshold(metric: metric, milliseconds: milliseconds)
        }
    }

    /// The first SLO whose SLI counts faithfulness samples (`samples_*`).
    static func qualitySLO(in rules: [any AlertRule]) -> SLOSpec? {
        let counters: Set<String> = [StoredCounter.samplesScored.name, StoredCounter.samplesFaithful.name]
        for case let slo as SLOSpec in rules
        where counters.contains(slo.sli.good.counter.name) || counters.contains(slo.sli.total.counter.name) {
            return slo
        }
        return nil
    }
}
