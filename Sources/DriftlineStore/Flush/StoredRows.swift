public import Logging
public import PostgresNIO

/// Rows of one kind that a flush writes, inside the flush's transaction, with one writer.
///
/// Every analyser hands its rows over as one of these; the store writes them after the offsets
/// and knows nothing else of them. When PostgreSQL refuses the data of a flush (not the
/// connection), the store bisects each kind's rows with ``split()`` under savepoints until the
/// refused rows are found alone; those go to `dl_rejected_rows` with ``describe()`` and the
/// rest is stored, so a poison row never stops a partition.
public protocol StoredRows: Sendable {
    /// The table these rows go to, named in rejected-row records and logs.
    var table: String { get }
    var count: Int { get }
    /// Writes the rows (merging into what is stored) on the flush's connection.
    func write(on connection: PostgresConnection, logger: Logger) async throws
    /// The rows in two parts of about half each; called only when `count > 1`.
    func split() -> (Self, Self)
    /// A readable rendering of the rows (the key and values), kept when PostgreSQL refuses them.
    func describe() -> String
}

extension StoredRows {
    public var isEmpty: Bool { count == 0 }
}

/// Splits a dictionary of rows into two halves of its keys in sorted order.
func halves<Key: Comparable, Value>(_ rows: [Key: Value]) -> ([Key: Value], [Key: Value]) {
    let keys = rows.keys.sorted()
    let middle = keys.count / 2
    var first: [Key: Value] = [:]
    var second: [Key: Value] = [:]
    for (index, key) in keys.enumerated() {
        if index < middle { first[key] = rows[key] } else { second[key] = rows[key] }
    }
    return (first, second)
}
