/// One sequence ready for the encoder: token ids with their special tokens, and token type ids.
public struct TokenizedInput: Sendable, Hashable {
    public var ids: [Int32]
    public var typeIds: [Int32]

    public init(ids: [Int32], typeIds: [Int32]) {
        precondition(ids.count == typeIds.count, "ids and typeIds differ in length")
        self.ids = ids
        self.typeIds = typeIds
    }

    public var count: Int { ids.count }
}
