public import Foundation

/// Delivers the outbox: a plain async loop (the pipeline wraps it in a ServiceLifecycle service) that asks the
/// store for due messages, sends each receiver's head message with a deadline, and records the outcome.
/// Receivers are served concurrently; one receiver's messages strictly one after another, in outbox order.
///
/// Each POST carries `Content-Type: application/json`, `Idempotency-Key: <outbox id>` (the same on every retry
/// of a message) and, when the receiver has a secret, the ``WebhookSigner`` headers.
public struct OutboxSender<Store: OutboxStore, Transport: WebhookTransport>: Sendable {
    public static var idempotencyKeyHeader: String { WebhookReceiver.idempotencyKeyHeader }

    public var store: Store
    public var transport: Transport
    public var receivers: [String: WebhookReceiver]
    public var policy: RetryPolicy
    /// Pause between passes that found nothing due.
    public var pollInterval: Duration
    public var batchSize: Int
    private let now: @Sendable () -> Date
    private let unitRandom: @Sendable () -> Double
    /// Hears every attempt's outcome, for the log.
    public var observer: (@Sendable (OutboxMessage, DeliveryDecision) -> Void)?

    /// `now` and `unitRandom` (uniform in `[0, 1)`) default to the system clock and generator; tests pass their own.
    public init(
        store: Store, transport: Transport, receivers: [WebhookReceiver], policy: RetryPolicy = RetryPolicy(),
        pollInterval: Duration = .seconds(1), batchSize: Int = 64,
        now: @escaping @Sendable () -> Date = { Date() },
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.store = store
        self.transport = transport
        self.receivers = Dictionary(receivers.map { ($0.name, $0) }) { _, last in last }
        self.policy = policy
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        self.now = now
        self.unitRandom = unitRandom
    }

    /// Runs passes until the task is cancelled.
    public func run() async throws {
        while !Task.isCancelled {
            let sent = try await runOnce()
            if sent == 0 {
                try await Task.sleep(for: pollInterval)
            }
        }
    }

    /// One pass over the due messages; returns how many attempts were made.
    @discardableResult
    public func runOnce() async throws -> Int {
        let due = try await store.dueMessages(at: now(), limit: batchSize)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in due {
                group.addTask { _ = try await self.deliver(message) }
            }
            try await group.waitForAll()
        }
        return due.count
    }

    /// One attempt at `message`, recorded in the store.
    public func deliver(_ message: OutboxMessage) async throws -> DeliveryDecision {
        let attempts = message.attempts + 1
        guard let receiver = receivers[message.receiver] else {
            // Configuration, not the message, is wrong: keep it until the receiver is configured again.
            let reason = "receiver \(message.receiver) is not configured"
            try await store.scheduleRetry(
                id: message.id, attempts: message.attempts,
                nextAttemptAt: now().addingTimeInterval(policy.maximum.timeInterval),
                reason: reason)
            return .retry(after: policy.maximum, reason: reason)
        }
        let headers = receiver.headers(body: message.body, idempotencyKey: String(message.id), at: now())
        let result: Result<WebhookResponse, any Error>
        do {
            // The deadline is enforced here too, so a transport that ignores its timeout cannot stall a
            // receiver's queue.
            let response = try await Deadline.run(receiver.timeout) { [transport] in
                try await transport.post(
                    url: receiver.url, headers: headers, body: message.body, timeout: receiver.timeout)
            }
            result = .success(response)
        } catch {
            result = .failure(error)
        }
        let time = now()
        let decision = DeliveryDecision.decide(result, now: time)
        defer { observer?(message, decision) }
        switch decision {
        case .delivered:
            try await store.markDelivered(id: message.id, attempts: attempts, at: time)
        case .reject(let reason):
            try await store.markRejected(id: message.id, attempts: attempts, at: time, reason: reason)
        case .retry(let retryAfter, let reason):
            if let limit = policy.maximumAttempts, attempts >= limit {
                try await store.markRejected(
                    id: message.id, attempts: attempts, at: time,
                    reason: "gave up after \(attempts) attempts: \(reason)")
                return .reject(reason: reason)
            }
            let delay = policy.delay(afterAttempts: attempts, retryAfter: retryAfter, unit: unitRandom())
            try await store.scheduleRetry(
                id: message.id, attempts: attempts, nextAttemptAt: time.addingTimeInterval(delay.timeInterval),
                reason: reason)
        }
        return decision
    }
}
