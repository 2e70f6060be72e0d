public import Logging
public import ServiceLifecycle

/// Runs a job on a ``PeriodicSchedule`` until graceful shutdown or cancellation: the pattern of
/// every scheduled piece of Driftline (budget evaluation, SLO evaluation, drift jobs). A failed
/// run is logged in one line with its cause and the schedule goes on.
public struct PeriodicService: Service {
    public let name: String
    public let schedule: PeriodicSchedule
    private let logger: Logger
    private let job: @Sendable () async throws -> Void

    public init(
        name: String, schedule: PeriodicSchedule, logger: Logger, job: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.schedule = schedule
        self.logger = logger
        self.job = job
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var next = schedule.firstRun(startedAt: .now)
            while !Task.isCancelled {
                do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
                let started = ContinuousClock.now
                do {
                    try await job()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("\(name) failed", metadata: ["cause": "\(String(describing: error))"])
                }
                next = schedule.nextRun(afterRunStartedAt: started, finishedAt: .now)
            }
        }
    }
}
