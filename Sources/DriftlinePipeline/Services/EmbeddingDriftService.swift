public import DriftlineStore
import Foundation
public import Logging

extension PeriodicService {
    /// Evaluates embedding drift every `drift.embeddings.every_seconds` and writes
    /// `dl_embedding_drift`. Several members doing so is harmless: a result for the same periods
    /// replaces the earlier one. The first run waits a full interval, so migrations are done.
    public static func embeddingDriftEvaluation(
        settings: PipelineConfiguration.EmbeddingSettings, windowSeconds: Int, store: AggregateStore, logger: Logger
    ) -> PeriodicService {
        let interval = Duration.seconds(settings.everySeconds)
        let evaluator = EmbeddingDriftEvaluator(settings)
        return PeriodicService(
            name: "embedding drift evaluation", schedule: PeriodicSchedule(interval: interval, initialDelay: interval),
            logger: logger
        ) {
            let (reference, current) = settings.periods(
                now: Int64(Date().timeIntervalSince1970), windowSeconds: Int64(windowSeconds))
            let results = try await evaluator.evaluate(store: store, reference: reference, current: current)
            try await store.insert(results)
        }
    }
}
