public import Foundation

/// One notification waiting in the outbox: a rendered webhook body for one receiver, written in the same
/// transaction as the alert state change that caused it.
public struct OutboxMessage: Hashable, Sendable {
    /// The outbox row's id; sent as the `Idempotency-Key` header so receivers can drop redeliveries.
    public var id: Int64
    public var receiver: String
    public var body: [UInt8]
    /// Attempts made so far.
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, receiver: String, body: [UInt8], attempts: Int = 0, createdAt: Date) {
        self.id = id
        self.receiver = receiver
        self.body = body
        self.attempts = attempts
        self.createdAt = createdAt
    }
}
