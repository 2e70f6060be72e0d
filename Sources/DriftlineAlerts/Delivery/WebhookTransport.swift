/// The HTTP response of one delivery attempt, as much of it as the retry decision needs.
public struct WebhookResponse: Hashable, Sendable {
    public var status: Int
    /// The `Retry-After` header, when present.
    public var retryAfter: String?

    public init(status: Int, retryAfter: String? = nil) {
        self.status = status
        self.retryAfter = retryAfter
    }
}

/// Sends one POST; the sender's only I/O seam, implemented over AsyncHTTPClient and by test fakes.
/// Throws for anything that is not an HTTP response (refused connection, reset, deadline passed).
public protocol WebhookTransport: Sendable {
    func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) async throws -> WebhookResponse
}
