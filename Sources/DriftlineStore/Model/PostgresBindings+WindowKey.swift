import DriftlineCore
import PostgresNIO

extension PostgresBindings {
    /// Binds the key columns of the per-window tables (`WindowKeySQL`) — window start and
    /// length, one per dimension, the labels JSON — as one array each, for an `unnest` upsert.
    mutating func appendKeyColumns(_ keys: [WindowKey]) {
        append(keys.map(\.windowStart))
        append(keys.map(\.windowSeconds))
        for dimension in Dimension.allCases { append(keys.map { $0[dimension] }) }
        append(keys.map(\.labelsJSON))
    }
}
