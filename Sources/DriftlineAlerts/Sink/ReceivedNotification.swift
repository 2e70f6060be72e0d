public import Foundation

/// A notification the sink accepted (or recognised as a redelivery), and one line of its record file:
///
/// ```json
/// {"idempotency_key":"12","payload":{…Alertmanager webhook v4…},"received_at":"2026-12-01T20:46:38.120Z","signature_verified":true}
/// ```
///
/// `signature_verified` is false only when the sink has no secret; with one, unsigned bodies are refused.
public struct ReceivedNotification: Hashable, Sendable, Encodable {
    public var receivedAt: Date
    /// The `Idempotency-Key` header, when the sender set one.
    public var idempotencyKey: String?
    public var signatureVerified: Bool
    public var payload: WebhookPayload

    public init(receivedAt: Date, idempotencyKey: String?, signatureVerified: Bool, payload: WebhookPayload) {
        self.receivedAt = receivedAt
        self.idempotencyKey = idempotencyKey
        self.signatureVerified = signatureVerified
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case receivedAt = "received_at"
        case idempotencyKey = "idempotency_key"
        case signatureVerified = "signature_verified"
        case payload
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RFC3339.format(receivedAt), forKey: .receivedAt)
        // An explicit null rather than a missing key, so every line has the same keys.
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(signatureVerified, forKey: .signatureVerified)
        try container.encode(payload, forKey: .payload)
    }

    /// The record line without its newline: sorted keys, no escaped slashes, never a line break inside.
    public func recordLine() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
