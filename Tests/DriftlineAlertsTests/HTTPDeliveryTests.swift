import DriftlineAlerts
import Foundation
import Testing

/// Delivery over real HTTP (AsyncHTTPClient) to a receiver on 127.0.0.1 that this test starts and stops.
struct HTTPDeliveryTests {
    /// The receiver answers 503 three times, then 200: every message arrives in outbox order, the first one
    /// four times with the same idempotency key, and every body's signature verifies.
    @Test func aFlakyReceiverGetsEveryMessageInOrderOverHTTP() async throws {
        try await LoopbackWebhookReceiver.with(failures: 3) { receiver in
            let outbox = MemoryOutbox(OutboxSenderTests.messages(receiver: "oncall", ids: 1...3))
            let clock = TestClock()
            let sender = OutboxSender(
                store: outbox, transport: HTTPWebhookTransport(),
                receivers: [WebhookReceiver(name: "oncall", url: receiver.url, secret: "s3cret", timeout: .seconds(5))],
                now: { clock.now }, unitRandom: { 0 })
            // Six attempts are needed (one per pass for a single receiver); the clock jumps past every back-off.
            for _ in 0..<8 {
                try await sender.runOnce()
                clock.advance(600)
            }
            #expect(outbox.states == [1: "delivered", 2: "delivered", 3: "delivered"])
            let requests = receiver.requests
            #expect(requests.map { $0.headers["Idempotency-Key"] } == ["1", "1", "1", "1", "2", "3"])
            #expect(requests.map { String(decoding: $0.body, as: UTF8.self) }.last == #"{"n":3}"#)
            let signer = WebhookSigner(secret: "s3cret")
            for request in requests {
                #expect(request.headers["Content-Type"] == "application/json")
                #expect(
                    signer.verify(
                        body: request.body, timestampHeader: request.headers[WebhookSigner.timestampHeader] ?? "",
                        signatureHeader: request.headers[WebhookSigner.signatureHeader] ?? "", now: clock.now,
                        tolerance: .seconds(86_400)))
            }
        }
    }

    @Test func aRefusedConnectionIsRetried() async throws {
        let stopped = try await LoopbackWebhookReceiver.start(failures: 0)
        let url = stopped.url
        try await stopped.stop()
        let outbox = MemoryOutbox(OutboxSenderTests.messages(receiver: "oncall", ids: 1...1))
        let sender = OutboxSender(
            store: outbox, transport: HTTPWebhookTransport(),
            receivers: [WebhookReceiver(name: "oncall", url: url, timeout: .seconds(5))])
        let decision = try await sender.deliver(outbox.dueMessages(at: Date(), limit: 1)[0])
        guard case .retry = decision else {
            Issue.record("expected a retry, got \(decision)")
            return
        }
        #expect(outbox.states == [1: "pending"])
    }
}
