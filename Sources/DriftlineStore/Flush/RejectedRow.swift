/// Rows PostgreSQL refused during a flush, set aside in `dl_rejected_rows` with the reason.
public struct RejectedRow: Sendable, Equatable {
    public var table: String
    /// The rows as text (their key and values).
    public var rows: String
    public var sqlState: String
    public var reason: String

    public init(table: String, rows: String, sqlState: String, reason: String) {
        self.table = table
        self.rows = rows
        self.sqlState = sqlState
        self.reason = reason
    }
}
