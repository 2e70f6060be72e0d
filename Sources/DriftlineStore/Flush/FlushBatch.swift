/// Everything one flush writes in one transaction: the offsets of the records folded in, and
/// the rows every analyser made of them (dead letters included).
public struct FlushBatch: Sendable {
    public var consumerGroup: String
    public var offsets: [OffsetAdvance]
    /// One entry per analyser (and one for the dead letters), in the analysers' order.
    public var rows: [any StoredRows]

    public init(consumerGroup: String, offsets: [OffsetAdvance], rows: [any StoredRows]) {
        self.consumerGroup = consumerGroup
        self.offsets = offsets
        self.rows = rows
    }

    /// A batch of the built-in row kinds; empty kinds are left out.
    public init(
        consumerGroup: String, windows: [WindowKey: WindowAggregate] = [:], costs: [WindowKey: CostAggregate] = [:],
        deadLetters: [DeadLetter] = [], offsets: [OffsetAdvance] = [], spanCounts: [SpanCountKey: SpanCount] = [:]
    ) {
        let rows: [any StoredRows] = [
            WindowRows(windows), CostRows(costs), DeadLetterRows(consumerGroup: consumerGroup, deadLetters),
            SpanCountRows(spanCounts),
        ]
        self.init(consumerGroup: consumerGroup, offsets: offsets, rows: rows.filter { !$0.isEmpty })
    }

    public var isEmpty: Bool { offsets.isEmpty && rows.allSatisfy(\.isEmpty) }

    /// Rows over all kinds.
    public var rowCount: Int { rows.reduce(0) { $0 + $1.count } }
}
