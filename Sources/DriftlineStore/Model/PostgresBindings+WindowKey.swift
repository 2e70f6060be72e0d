import PostgresNIO

extension PostgresBindings {
    /// Binds the twelve key columns of `dl_windows` and `dl_costs` — window start and length,
    /// the nine dimensions, the labels JSON — as one array each, for an `unnest` upsert.
    mutating func appendKeyColumns(_ keys: [WindowKey]) {
        append(keys.map(\.windowStart))
        append(keys.map(\.windowSeconds))
        append(keys.map(\.model))
        append(keys.map(\.provider))
        append(keys.map(\.app))
        append(keys.map(\.route))
        append(keys.map(\.tenant))
        append(keys.map(\.user))
        append(keys.map(\.team))
        append(keys.map(\.environment))
        append(keys.map(\.modelVersion))
        append(keys.map(\.labelsJSON))
    }
}
