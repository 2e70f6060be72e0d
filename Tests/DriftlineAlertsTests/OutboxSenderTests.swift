import DriftlineAlerts
import Foundation
import Testing

struct OutboxSenderTests {
    static func messages(receiver: String, ids: ClosedRange<Int64>) -> [OutboxMessage] {
        ids.map {
            OutboxMessage(
                id: $0, receiver: receiver, body: Array("{\"n\":\($0)}".utf8), createdAt: Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// Down (refused, 503, refused, 500) then back: every message arrives, in order, each exactly once acknowledged.
    @Test func aReceiverThatIsDownForAWhileGetsEverythingInOrder() async throws {
        let outbox = MemoryOutbox(Self.messages(receiver: "oncall", ids: 1...5))
        let transport = ScriptedTransport([.refuse, .status(503), .refuse, .status(500)])
        let clock = TestClock()
        let sender = OutboxSender(
            store: outbox, transport: transport,
            receivers: [WebhookReceiver(name: "oncall", url: "http://127.0.0.1:1/hook", secret: "s3cret")],
            now: { clock.now }, unitRandom: { 0.5 })
        for _ in 0..<50 {
            try await sender.runOnce()
            clock.advance(60)
        }
        #expect(outbox.states.values.allSatisfy { $0 == "delivered" })
        let ids = transport.received.withLock { $0.map(\.id) }
        // The two 5xx answers were for message 1, so it was received three times; then 2…5 once each.
        #expect(ids == ["1", "1", "1", "2", "3", "4", "5"])
        let signer = WebhookSigner(secret: "s3cret")
        for request in transport.received.withLock({ $0 }) {
            #expect(
                signer.verify(
                    body: request.body, timestampHeader: request.headers[WebhookSigner.timestampHeader] ?? "",
                    signatureHeader: request.headers[WebhookSigner.signatureHeader] ?? "", now: clock.now,
                    tolerance: .seconds(86_400)))
        }
    }

    @Test func aClientErrorIsNotRetriedAndDoesNotBlockTheNextMessage() async throws {
        let outbox = MemoryOutbox(Self.messages(receiver: "oncall", ids: 1...2))
        let transport = ScriptedTransport([.status(400)])
        let clock = TestClock()
        let sender = OutboxSender(
            store: outbox, transport: transport, receivers: [WebhookReceiver(name: "oncall", url: "http://x")],
            now: { clock.now })
        try await sender.runOnce()
        try await sender.runOnce()
        #expect(outbox.states == [1: "rejected", 2: "delivered"])
        #expect(transport.received.withLock { $0.map(\.id) } == ["1", "2"])
    }

    @Test func tooManyRequestsWaitsForRetryAfter() async throws {
        let outbox = MemoryOutbox(Self.messages(receiver: "oncall", ids: 1...1))
        let transport = ScriptedTransport([.status(429)])
        let clock = TestClock()
        let sender = OutboxSender(
            store: outbox, transport: transport, receivers: [WebhookReceiver(name: "oncall", url: "http://x")],
            now: { clock.now })
        #expect(try await sender.runOnce() == 1)
        clock.advance(6)
        #expect(try await sender.runOnce() == 0)  // Retry-After: 7
        clock.advance(1)
        #expect(try await sender.runOnce() == 1)
        #expect(outbox.states == [1: "delivered"])
    }

    @Test func decisionsFollowTheStatusClasses() {
        let now = Date(timeIntervalSince1970: 0)
        #expect(DeliveryDecision.decide(.success(WebhookResponse(status: 204)), now: now) == .delivered)
        #expect(
            DeliveryDecision.decide(.success(WebhookResponse(status: 404)), now: now) == .reject(reason: "HTTP 404"))
        #expect(
            DeliveryDecision.decide(.success(WebhookResponse(status: 408)), now: now)
                == .retry(after: nil, reason: "HTTP 408"))
        #expect(
            DeliveryDecision.decide(
                .success(WebhookResponse(status: 503, retryAfter: "Thu, 01 Jan 1970 00:00:30 GMT")), now: now)
                == .retry(after: .seconds(30), reason: "HTTP 503"))
    }

    /// Hand-worked: 1 s initial, doubling, capped at 300 s; jitter 0.5 scales by 1 − 0.5 × unit.
    @Test func backOffDoublesUpToTheCapWithJitterBelow() {
        let policy = RetryPolicy()
        #expect(policy.delay(afterAttempts: 1, unit: 0) == .seconds(1))
        #expect(policy.delay(afterAttempts: 4, unit: 0) == .seconds(8))
        #expect(policy.delay(afterAttempts: 4, unit: 1) == .seconds(4))
        #expect(policy.delay(afterAttempts: 20, unit: 0) == .seconds(300))
        #expect(policy.delay(afterAttempts: 2, retryAfter: .seconds(900), unit: 0) == .seconds(300))
    }

    @Test func anAttemptPastItsDeadlineCountsAsATransportFailure() async throws {
        struct Hanging: WebhookTransport {
            func post(
                url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
            ) async throws -> WebhookResponse {
                try await Task.sleep(for: .seconds(60))
                return WebhookResponse(status: 200)
            }
        }
        let outbox = MemoryOutbox(Self.messages(receiver: "oncall", ids: 1...1))
        let sender = OutboxSender(
            store: outbox, transport: Hanging(),
            receivers: [WebhookReceiver(name: "oncall", url: "http://x", timeout: .milliseconds(50))])
        let decision = try await sender.deliver(outbox.dueMessages(at: Date(), limit: 1)[0])
        guard case .retry(_, let reason) = decision else {
            Issue.record("expected a retry, got \(decision)")
            return
        }
        #expect(reason.contains("no response within"))
    }
}
