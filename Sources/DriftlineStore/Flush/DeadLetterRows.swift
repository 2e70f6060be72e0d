public import Logging
public import PostgresNIO

/// Records that failed to decode or validate (`dl_dead_letters`).
public struct DeadLetterRows: StoredRows {
    public var consumerGroup: String
    public var letters: [DeadLetter]

    public init(consumerGroup: String, _ letters: [DeadLetter]) {
        self.consumerGroup = consumerGroup
        self.letters = letters
    }

    public var table: String { "dl_dead_letters" }
    public var count: Int { letters.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.insertDeadLetters(
            letters, consumerGroup: consumerGroup, on: connection, logger: logger)
    }

    public func split() -> (DeadLetterRows, DeadLetterRows) {
        let middle = letters.count / 2
        return (
            DeadLetterRows(consumerGroup: consumerGroup, Array(letters[..<middle])),
            DeadLetterRows(consumerGroup: consumerGroup, Array(letters[middle...]))
        )
    }

    public func describe() -> String {
        letters.map { "\($0.partition)@\($0.offset): \($0.errorCode)" }.joined(separator: "; ")
    }
}
