public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// ``WebhookTransport`` over AsyncHTTPClient: one POST per attempt with the attempt's timeout as the request
/// deadline (connection included). The response body is read (up to 64 KiB) and dropped, so the connection can
/// be reused.
public struct HTTPWebhookTransport: WebhookTransport {
    public let client: HTTPClient

    /// `client` defaults to AsyncHTTPClient's shared client; the caller owns any other.
    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) async throws -> WebhookResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "User-Agent", value: "Driftline")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .milliseconds(timeout.totalMilliseconds))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return WebhookResponse(
            status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"))
    }
}
