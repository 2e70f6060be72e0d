import Dispatch

/// Runs async work from a thread that is not part of Swift's cooperative pool (the Kafka poll
/// thread) and blocks that thread until it is done. Never call this from a task: blocking a
/// pool thread on pool work can deadlock.
func blockingAwait<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await operation()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    guard let result = box.result else { fatalError("unreachable: the task signals only after setting a result") }
    return try result.get()
}

/// Written once by the task before it signals, read by the waiting thread after: the semaphore orders the two.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
