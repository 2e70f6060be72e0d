import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import DriftlinePipeline

@Suite struct PeriodicServiceTests {
    static let t0 = ContinuousClock.now

    @Test func runsEveryIntervalFromTheStartOfTheLastRunWithoutBursts() {
        let schedule = PeriodicSchedule(interval: .seconds(60), initialDelay: .seconds(60))
        #expect(schedule.firstRun(startedAt: Self.t0) == Self.t0 + .seconds(60))
        // A quick run: the next starts an interval after this one started.
        #expect(
            schedule.nextRun(afterRunStartedAt: Self.t0, finishedAt: Self.t0 + .seconds(2)) == Self.t0 + .seconds(60))
        // A run longer than the interval: the next starts when it ends, not several at once.
        #expect(
            schedule.nextRun(afterRunStartedAt: Self.t0, finishedAt: Self.t0 + .seconds(150))
                == Self.t0 + .seconds(150))
    }

    @Test func theServiceRunsItsJobUntilGracefulShutdownAndSurvivesFailures() async throws {
        let runs = Mutex(0)
        let service = PeriodicService(
            name: "test job", schedule: PeriodicSchedule(interval: .milliseconds(20)),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            let count = runs.withLock {
                $0 += 1
                return $0
            }
            if count == 2 { throw CancellationTestError() }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)],
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while runs.withLock({ $0 }) < 4 { try await Task.sleep(for: .milliseconds(10)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let after = runs.withLock { $0 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(runs.withLock { $0 } == after, "no run after shutdown")
        #expect(after >= 4, "a failed run does not stop the schedule")
    }
}

private struct CancellationTestError: Error {}
