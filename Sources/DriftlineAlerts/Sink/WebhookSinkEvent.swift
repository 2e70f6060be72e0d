public import Foundation

/// What the sink did with one request, for its log: a new notification, a redelivery, or a refusal.
public enum WebhookSinkEvent: Hashable, Sendable {
    /// Answered 200 and recorded.
    case accepted(ReceivedNotification)
    /// Answered 200 without recording: its `Idempotency-Key` was accepted before.
    case duplicate(ReceivedNotification)
    /// Answered with an error status.
    case refused(Refusal)

    public struct Refusal: Hashable, Sendable {
        public var kind: Kind
        public var receivedAt: Date
        public var status: Int
        public var reason: String
        public var idempotencyKey: String?

        public init(kind: Kind, receivedAt: Date, status: Int, reason: String, idempotencyKey: String? = nil) {
            self.kind = kind
            self.receivedAt = receivedAt
            self.status = status
            self.reason = reason
            self.idempotencyKey = idempotencyKey
        }
    }

    /// Why a request was refused; the word the sink prints.
    public enum Kind: String, Hashable, Sendable {
        /// `--fail-first`: 503 on purpose.
        case failing
        /// Not a POST (and not `GET /healthz`): 405.
        case methodNotAllowed = "method-not-allowed"
        /// Over the body limit: 413.
        case tooLarge = "too-large"
        /// Missing, wrong or stale signature: 401.
        case rejected
        /// Not an Alertmanager v4 webhook body: 400.
        case malformed
        /// Accepted but the record file could not be written: 500, so the sender retries.
        case notRecorded = "not-recorded"
    }
}
