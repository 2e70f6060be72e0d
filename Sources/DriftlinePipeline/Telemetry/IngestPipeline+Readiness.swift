import DriftlineAlerts
import DriftlineStore
import PostgresNIO

extension IngestPipeline {
    /// `/readyz`: what the ingest state machine last reported (partitions owned, the store not
    /// known to be down, the poll loop alive), then a `SELECT 1` within `probeTimeout`, since an
    /// idle member flushes nothing and would not notice PostgreSQL going away by itself.
    public func readiness(probeTimeout: Duration = .seconds(2)) async -> Readiness {
        let local = Self.readiness(
            phase: phase.withLock { $0 }, report: readinessBox.latest, now: .now, stallAfter: stallAfter)
        guard local.isReady else { return local }
        do {
            let (client, logger) = (store.client, self.logger)
            try await Deadline.run(probeTimeout) { _ = try await client.query("SELECT 1", logger: logger) }
        } catch {
            return .notReady("PostgreSQL does not answer: \(StoreFailure.describe(error))")
        }
        return local
    }

    /// A poll loop that has not reported for this long is stuck. It blocks at most for a flush
    /// while partitions are let go (`flush.timeout_seconds`), so twice that, at least 30 s.
    var stallAfter: Duration {
        max(.seconds(30), .milliseconds(Int64(configuration.flush.timeoutSeconds * 2000)))
    }

    static func readiness(
        phase: Phase, report: IngestReadinessReport?, now: ContinuousClock.Instant, stallAfter: Duration
    ) -> Readiness {
        switch phase {
        case .starting: return .notReady("starting: migrating the database and joining the consumer group")
        case .stopping: return .notReady("stopping: flushing and leaving the consumer group")
        case .stopped: return .notReady("stopped: the consumer has left the group")
        case .consuming: break
        }
        guard let report else { return .notReady("waiting for the consumer group to assign partitions") }
        let silent = now - report.at
        if silent > stallAfter {
            return .notReady("the Kafka poll loop has not run for \(silent.components.seconds) s")
        }
        switch report.state {
        case .noPartitions:
            return .notReady("no partitions assigned (waiting for the group, or more members than partitions)")
        case .storeUnreachable:
            return .notReady("PostgreSQL is unreachable: \(report.storeCause ?? "the last flush could not connect")")
        case .consuming(let partitions):
            return .ready("consuming \(partitions) partition\(partitions == 1 ? "" : "s")")
        }
    }
}
