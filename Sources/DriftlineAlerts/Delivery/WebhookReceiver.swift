public import Foundation

/// Where notifications go. Comes from configuration and the environment, never from `alerts/`.
public struct WebhookReceiver: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var url: String
    /// HMAC secret; bodies are signed when set (see ``WebhookSigner``).
    public var secret: String?
    /// Deadline of one attempt, connection included.
    public var timeout: Duration

    public init(name: String, url: String, secret: String? = nil, timeout: Duration = .seconds(10)) {
        self.name = name
        self.url = url
        self.secret = secret
        self.timeout = timeout
    }

    public static let idempotencyKeyHeader = "Idempotency-Key"

    /// The headers of one POST: content type, idempotency key and, with a secret, the signature.
    public func headers(body: [UInt8], idempotencyKey: String, at time: Date) -> [(name: String, value: String)] {
        let signature = secret.map { WebhookSigner(secret: $0).headers(body: body, at: time) } ?? []
        return [("Content-Type", "application/json"), (Self.idempotencyKeyHeader, idempotencyKey)] + signature
    }

    /// Without the secret, which must never reach a log.
    public var description: String {
        "\(name) (\(url)\(secret == nil ? "" : ", signed"), timeout \(AlertDuration.format(timeout)))"
    }
}
