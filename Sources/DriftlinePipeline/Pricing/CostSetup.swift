public import DriftlineCore
public import DriftlineStore
import Logging

extension PipelineConfiguration.CostSettings {
    /// Loads the catalogue (nil when costs are off) and copies what SQL needs — GPU-hour prices
    /// and budgets — into the store, so the views and `dl_evaluate_budgets` see the same
    /// configuration as the pipeline.
    public func prepare(store: AggregateStore) async throws -> PriceCatalogue? {
        let budgets = try storedBudgets()
        let catalogue = try loadCatalogue()
        if let catalogue { try await store.syncGPUPrices(catalogue) }
        try await store.syncBudgets(budgets)
        return catalogue
    }

    public func storedBudgets() throws -> [StoredBudget] {
        try budgets.map { budget in
            StoredBudget(
                name: budget.name, scope: budget.scope.rawValue, value: budget.value, period: budget.period.rawValue,
                amountUSD: try Money(decimal: budget.amountUSD))
        }
    }
}
