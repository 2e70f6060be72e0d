public import Logging
public import PostgresNIO

/// Cost rows (`dl_costs`), keyed by window and the cost-attribution dimensions.
public struct CostRows: StoredRows {
    public var costs: [WindowKey: CostAggregate]

    public init(_ costs: [WindowKey: CostAggregate]) { self.costs = costs }

    public var table: String { "dl_costs" }
    public var count: Int { costs.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.upsertCosts(costs, on: connection, logger: logger)
    }

    public func split() -> (CostRows, CostRows) {
        let (first, second) = halves(costs)
        return (CostRows(first), CostRows(second))
    }

    public func describe() -> String {
        costs.map { "\($0.key): \($0.value.requests) requests" }.joined(separator: "; ")
    }
}
