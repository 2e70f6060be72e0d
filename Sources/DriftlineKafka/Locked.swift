import Foundation

/// A value guarded by a lock. `NSLock` rather than `Synchronization.Mutex`, which would raise the
/// macOS deployment target to 15.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Carries a value across a `@Sendable` boundary that the compiler cannot see is a hand-over.
/// Only used where the caller gave the value up with `sending` and nothing else touches it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// A stop request that sleeping code can wait on, so that back-off loops end as soon as `stop()`
/// is called instead of when their sleep runs out.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps for up to `seconds`; returns `true` when stopped.
    func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopped {
            if !condition.wait(until: deadline) {
                break
            }
        }
        return stopped
    }
}
