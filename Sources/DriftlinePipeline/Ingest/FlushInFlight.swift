import DriftlineStore
import Dispatch
import Synchronization

/// A flush submitted to the store and running on the cooperative pool while the poll thread
/// keeps consuming. The poll thread checks `outcome` on every tick, or waits for it.
final class FlushInFlight: Sendable {
    let batch: FlushBatch
    private let state = Mutex<Result<FlushOutcome, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(batch: FlushBatch, store: AggregateStore) {
        self.batch = batch
        Task { [self] in
            let result: Result<FlushOutcome, any Error>
            do { result = .success(try await store.write(batch)) } catch { result = .failure(error) }
            state.withLock { $0 = result }
            done.signal()
        }
    }

    /// The result once the flush has finished, without blocking.
    var outcome: Result<FlushOutcome, any Error>? { state.withLock { $0 } }

    /// Blocks the calling (non-pool) thread until the flush has finished.
    func wait() -> Result<FlushOutcome, any Error> {
        while true {
            if let outcome { return outcome }
            done.wait()
            done.signal()  // later waits return at once
        }
    }
}
