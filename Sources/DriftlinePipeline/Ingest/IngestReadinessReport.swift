import Synchronization

/// The machine's readiness as the poll thread last published it, with the cause of a store
/// outage and when it was published: a report that stops coming means the poll loop is stuck.
struct IngestReadinessReport: Sendable, Equatable {
    var state: IngestStateMachine.Readiness
    var storeCause: String?
    var at: ContinuousClock.Instant
}

/// Shared between the poll thread (writer) and the health endpoint (reader).
final class IngestReadinessBox: Sendable {
    private let report = Mutex<IngestReadinessReport?>(nil)
    private let unreachableCause = Mutex<String?>(nil)

    var latest: IngestReadinessReport? { report.withLock { $0 } }

    func publish(_ state: IngestStateMachine.Readiness, at now: ContinuousClock.Instant) {
        let cause = state == .storeUnreachable ? unreachableCause.withLock { $0 } : nil
        report.withLock { $0 = IngestReadinessReport(state: state, storeCause: cause, at: now) }
    }

    func storeUnreachable(cause: String) { unreachableCause.withLock { $0 = cause } }

    func clear() { report.withLock { $0 = nil } }
}
