/// Spend of one value of a dimension over a range, read from `dl_spend`.
public struct SpendRow: Sendable, Equatable {
    public var value: String
    /// Exact decimal text of the `numeric` sum; nil when nothing in the group was priced.
    public var costUSD: String?
    public var requests: Int64
    public var pricedRequests: Int64
    public var unpricedRequests: Int64
    public var unpricedTokens: Int64
    public var costPer1kRequests: String?
    public var cacheSavingsUSD: String?
}
