import Synchronization

/// The bounded hand-off between ingest and the scorer. ``offer(_:)`` never waits: it queues the
/// sample or says why it did not (the queue is full, or no scorer takes samples), so ingest keeps
/// its pace whatever the scorer's. Scoring tasks wait in ``next()``.
public final class ScoringQueue: Sendable {
    public let capacity: Int

    private struct State {
        var items: [ScoringRequest] = []
        /// Index of the oldest item in `items` (the array is compacted when half is consumed).
        var head = 0
        var waiters: [CheckedContinuation<ScoringRequest?, Never>] = []
        var accepting = true
        var closed = false
        var accepted: Int64 = 0
        var taken: Int64 = 0
        var abandoned: Int64 = 0

        var depth: Int { items.count - head }

        mutating func pop() -> ScoringRequest? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private let state = Mutex(State())
    /// The queue-depth gauge and shed-samples counter of `/metrics`; none in most tests.
    private let metrics: ScorerMetrics?

    public init(capacity: Int, metrics: ScorerMetrics? = nil) {
        self.capacity = max(1, capacity)
        self.metrics = metrics
    }

    /// Counts a sample shed before it reached the queue (too long), for `/metrics`.
    public func countShed() {
        metrics?.shed()
    }

    /// Queues `request`, or returns why it was shed. Never blocks beyond a short lock.
    public func offer(_ request: ScoringRequest) -> ShedReason? {
        let outcome: (ShedReason?, CheckedContinuation<ScoringRequest?, Never>?, Int) = state.withLock { state in
            guard state.accepting, !state.closed else { return (.noScorer, nil, state.depth) }
            if !state.waiters.isEmpty {
                state.accepted += 1
                state.taken += 1
                return (nil, state.waiters.removeFirst(), state.depth)
            }
            guard state.depth < capacity else { return (.queueFull, nil, state.depth) }
            state.items.append(request)
            state.accepted += 1
            return (nil, nil, state.depth)
        }
        outcome.1?.resume(returning: request)
        if let metrics {
            metrics.queueDepth(outcome.2)
            if outcome.0 != nil { metrics.shed() }
        }
        return outcome.0
    }

    /// The oldest waiting sample; waits for one. Nil once the queue is closed (what was still
    /// waiting is abandoned then, and counted).
    public func next() async -> ScoringRequest? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ScoringRequest?, Never>) in
            let ready: (ScoringRequest?, Int)? = state.withLock { state in
                if state.closed { return (nil, 0) }
                if let item = state.pop() {
                    state.taken += 1
                    return (item, state.depth)
                }
                state.waiters.append(continuation)
                return nil
            }
            if let ready {
                metrics?.queueDepth(ready.1)
                continuation.resume(returning: ready.0)
            }
        }
    }

    /// Stops accepting samples (they are shed as `no_scorer`) but lets the scorer drain what waits.
    public func stopAccepting() {
        state.withLock { $0.accepting = false }
    }

    /// Accepts samples again (a scorer has started).
    public func startAccepting() {
        state.withLock { $0.accepting = true }
    }

    /// Stops everything: samples are shed, waiting tasks get nil, what waits is abandoned.
    public func close() {
        let waiters = state.withLock { state in
            state.closed = true
            state.abandoned += Int64(state.depth)
            state.items = []
            state.head = 0
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// The queue's figures now, for metrics.
    public var snapshot: ScoringQueueSnapshot {
        state.withLock {
            ScoringQueueSnapshot(
                depth: $0.depth, capacity: capacity, accepted: $0.accepted, taken: $0.taken, abandoned: $0.abandoned,
                accepting: $0.accepting && !$0.closed)
        }
    }
}

/// The scoring queue's figures at one moment: `depth` is the gauge to export.
public struct ScoringQueueSnapshot: Sendable, Equatable {
    /// Samples waiting for a scoring task.
    public var depth: Int
    public var capacity: Int
    /// Samples queued since start.
    public var accepted: Int64
    /// Samples a scoring task has taken since start.
    public var taken: Int64
    /// Samples dropped unscored when the queue closed (shutdown): their events' offsets may be
    /// stored, so they are sampled but never scored; the gap between `sampled − shed` in
    /// `dl_quality_counts` and the rows of `dl_quality_samples` shows them.
    public var abandoned: Int64
    public var accepting: Bool
}
