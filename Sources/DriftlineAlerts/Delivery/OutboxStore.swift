public import Foundation

/// The outbox as the sender sees it; the Postgres table behind it is the store's. Per-receiver order is the
/// store's promise: ``dueMessages(at:limit:)`` returns at most one message per receiver, its oldest
/// undelivered one, and only once its next attempt time has come, so a message is never overtaken by a later
/// one for the same receiver.
public protocol OutboxStore: Sendable {
    func dueMessages(at time: Date, limit: Int) async throws -> [OutboxMessage]
    /// The receiver took it (2xx).
    func markDelivered(id: Int64, attempts: Int, at time: Date) async throws
    /// Try again at `nextAttemptAt`.
    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, reason: String) async throws
    /// Never retried (a 4xx other than 408/429); kept for SQL and for `driftline alerts status`, and no longer
    /// blocks the receiver's later messages.
    func markRejected(id: Int64, attempts: Int, at time: Date, reason: String) async throws
}
