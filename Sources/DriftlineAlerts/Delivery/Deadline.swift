/// Runs an operation with a deadline: past it the operation is cancelled and
/// ``DeadlineExceeded`` is thrown, even if the operation ignores cancellation for a while.
public enum Deadline {
    public static func run<T: Sendable>(
        _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DeadlineExceeded(timeout: timeout)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw DeadlineExceeded(timeout: timeout) }
            return first
        }
    }
}

/// An operation that did not finish within its deadline.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let timeout: Duration
    public init(timeout: Duration) { self.timeout = timeout }
    public var description: String { "no response within \(AlertDuration.format(timeout))" }
}
