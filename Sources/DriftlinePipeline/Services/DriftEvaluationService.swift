public import DriftlineStore
import Foundation
public import Logging

extension PeriodicService {
    /// Evaluates the PSI of the configured features every `drift.psi.every_seconds` and writes
    /// `dl_drift_results`. Several members doing so is harmless: a result for the same periods
    /// replaces the earlier one. The first run waits a full interval, so migrations are done.
    public static func driftEvaluation(
        settings: PipelineConfiguration.PSISettings, windowSeconds: Int, store: AggregateStore, logger: Logger
    ) -> PeriodicService {
        let interval = Duration.seconds(settings.everySeconds)
        return PeriodicService(
            name: "drift evaluation", schedule: PeriodicSchedule(interval: interval, initialDelay: interval),
            logger: logger
        ) {
            let (reference, current) = settings.periods(
                now: Int64(Date().timeIntervalSince1970), windowSeconds: Int64(windowSeconds))
            let results = try await settings.evaluator.evaluate(store: store, reference: reference, current: current)
            try await store.insert(results)
            let moved = results.filter { $0.severity != "stable" }
            if !moved.isEmpty {
                logger.notice(
                    "drift: distributions moved",
                    metadata: [
                        "results": "\(moved.map { "\($0.feature) \($0.grouping) PSI \($0.psi) (\($0.severity))" })"
                    ])
            }
        }
    }
}
