public import DriftlineStore
public import Logging

extension PeriodicService {
    /// Re-evaluates the cost budgets every minute (several members doing so is harmless: each
    /// evaluation replaces the state with the same figures). The first run waits a full
    /// interval, so the pipeline has migrated and synced the budgets by then.
    public static func budgetEvaluation(store: AggregateStore, logger: Logger, interval: Duration = .seconds(60))
        -> PeriodicService
    {
        PeriodicService(
            name: "budget evaluation", schedule: PeriodicSchedule(interval: interval, initialDelay: interval),
            logger: logger
        ) {
            try await store.evaluateBudgets()
        }
    }
}
