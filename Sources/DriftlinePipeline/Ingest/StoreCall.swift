import Dispatch
import Synchronization

/// A store call made from the Kafka poll thread (which is not part of Swift's cooperative pool):
/// it runs as a task while the poll thread goes on, and it has a deadline. Past the deadline
/// the task is cancelled and the call counts as failed with ``StoreCallTimeout`` — whether or
/// not the task ever returns — so a store that stops answering (a server killed mid-flush, a
/// connection half-open) never freezes ingest or shutdown. A flush that timed out but did
/// commit later is harmless: the next flush of its partitions is then fenced and restarts from
/// the stored offsets.
final class StoreCall<Value: Sendable>: Sendable {
    let deadline: ContinuousClock.Instant
    private let shared = Shared()
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let what: String
    private let timeout: Duration

    init(_ what: String, timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value) {
        self.what = what
        self.timeout = timeout
        self.deadline = .now + timeout
        let started = Task { [shared] in
            let result: Result<Value, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            shared.state.withLock { if $0 == nil { $0 = result } }
            shared.done.signal()
        }
        task.withLock { $0 = started }
    }

    /// The result once the call has finished or passed its deadline, without blocking.
    func result(now: ContinuousClock.Instant = .now) -> Result<Value, any Error>? {
        if let finished = shared.state.withLock({ $0 }) { return finished }
        guard now >= deadline else { return nil }
        return expire()
    }

    /// Blocks the calling (non-pool) thread until the call has finished or passed its deadline.
    func wait() -> Result<Value, any Error> {
        let remaining = deadline - .now
        let nanoseconds = max(
            0, remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000)
        if shared.done.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success {
            shared.done.signal()  // later waits return at once
        }
        return shared.state.withLock { $0 } ?? expire()
    }

    private func expire() -> Result<Value, any Error> {
        let timedOut: Result<Value, any Error> = .failure(StoreCallTimeout(what: what, timeout: timeout))
        let result = shared.state.withLock { current in
            if current == nil { current = timedOut }
            return current ?? timedOut
        }
        task.withLock { $0?.cancel() }
        return result
    }
}

extension StoreCall {
    /// The result, written once by the task (or by the deadline), and its signal.
    private final class Shared: Sendable {
        let state = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }
}

/// A store call that passed its deadline; it was cancelled.
struct StoreCallTimeout: Error, CustomStringConvertible {
    var what: String
    var timeout: Duration
    var description: String { "\(what): no answer from PostgreSQL within \(timeout); cancelled" }
}
