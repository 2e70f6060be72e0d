import Foundation

/// A value guarded by a lock, in a class so that one instance is shared by reference: captured by
/// escaping closures and reached from librdkafka's callbacks through their context object.
/// `Synchronization.Mutex`, which the package uses elsewhere, is a non-copyable value and would
/// need a class around it for that; an `NSLock` in the class does the same job.
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
