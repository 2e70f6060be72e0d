/// Why PostgreSQL could not be reached or would not let us in, in one line that names the
/// server and where its address came from, never the password.
///
/// `permanent` failures (authentication, a missing database or role, TLS set-up) cannot heal
/// by waiting; `transient` ones (refused, timed out, the server starting up or full) can.
public struct ConnectionFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case permanent
        case transient
    }

    public var kind: Kind
    /// `host:port`.
    public var address: String
    public var database: String
    public var username: String
    /// What failed, in PostgreSQL's or the system's words, e.g.
    /// `password authentication failed for user "driftline" (SQLSTATE 28P01)`.
    public var cause: String
    /// Where the URL came from (`DATABASE_URL`, `postgres.url`), when the caller knows.
    public var source: String?

    public init(
        kind: Kind, address: String, database: String, username: String, cause: String, source: String? = nil
    ) {
        self.kind = kind
        self.address = address
        self.database = database
        self.username = username
        self.cause = cause
        self.source = source
    }

    public var description: String {
        let origin = source.map { ", from \($0)" } ?? ""
        return "cannot connect to PostgreSQL at \(address) (database \(database), user \(username)\(origin)): \(cause)"
    }
}
