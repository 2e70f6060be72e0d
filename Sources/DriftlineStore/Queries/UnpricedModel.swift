/// A model seen without a price.
public struct UnpricedModel: Sendable, Equatable {
    public var model: String
    public var provider: String
    public var requests: Int64
    public var inputTokens: Int64
    public var outputTokens: Int64
}
