import AsyncHTTPClient
import DriftlineAlerts
import Foundation
import NIOCore
import NIOHTTP1

/// Requests to a ``WebhookSink`` as a sender makes them, with the answer's status and text.
enum SinkRequests {
    struct Answer: Sendable {
        var status: Int
        var text: String
    }

    static func send(
        _ sink: WebhookSink, method: HTTPMethod = .POST, path: String = "/hook", body: [UInt8] = [],
        headers: [(name: String, value: String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(sink.port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == .POST { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let text = try await response.body.collect(upTo: 64 * 1024)
        return Answer(status: Int(response.status.code), text: String(buffer: text))
    }

    /// `Idempotency-Key` and, with a secret, the signature headers for sending at `time`.
    static func headers(
        body: [UInt8], key: String?, secret: String? = nil, at time: Date = Date()
    ) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let key { headers.append((WebhookSinkState.idempotencyKeyHeader, key)) }
        if let secret { headers += WebhookSigner(secret: secret).headers(body: body, at: time) }
        return headers
    }

    /// The first `count` events, in the order the sink judged them.
    static func events(_ sink: WebhookSink, _ count: Int) async -> [WebhookSinkEvent] {
        var events: [WebhookSinkEvent] = []
        for await event in sink.events {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }
}
