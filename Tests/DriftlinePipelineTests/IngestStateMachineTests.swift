import DriftlineStore
import Testing

@testable import DriftlinePipeline

/// The ingest state machine without Kafka or PostgreSQL: time is passed in, actions come out.
@Suite struct IngestStateMachineTests {
    typealias Machine = IngestStateMachine
    static let t0 = ContinuousClock.now
    static let settings = Machine.Settings(
        flushInterval: .seconds(1), maxPendingRows: 100, firstRetryDelay: .milliseconds(200),
        maxRetryDelay: .seconds(5), probeInterval: .seconds(1), revocationAttempts: 3)
    static let p0 = SourcePartition(topic: "t", partition: 0)
    static let p1 = SourcePartition(topic: "t", partition: 1)

    static func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int64(seconds * 1000)) }

    /// A machine owning p0 (stored offset 10) and p1 (nothing stored).
    static func machine() -> Machine {
        var machine = Machine(settings: settings, now: t0)
        machine.assigned([p0: 10, p1: nil])
        return machine
    }

    static func flushedOffsets(_ actions: [Machine.Action]) -> [OffsetAdvance]? {
        for action in actions { if case .flush(let offsets) = action { return offsets } }
        return nil
    }

    @Test func aFlushFallsDueAfterItsIntervalWithTheConsumedOffsets() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 15, records: 5, deadLetters: 1)
        #expect(machine.tick(now: Self.at(0.5), pendingRows: 3).isEmpty)
        let offsets = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1.0), pendingRows: 3)))
        #expect(offsets == [OffsetAdvance(partition: Self.p0, expected: 10, next: 15, records: 5, deadLetters: 1)])
        #expect(machine.flushCompleted(.committed, now: Self.at(1.1), pendingRows: 0).isEmpty)
        #expect(machine.partitions[Self.p0]?.stored == 15)
    }

    @Test func manyPendingRowsMakeAFlushDueBeforeItsInterval() {
        var machine = Self.machine()
        machine.consumed(Self.p1, next: 1, records: 1, deadLetters: 0)
        #expect(Self.flushedOffsets(machine.tick(now: Self.at(0.1), pendingRows: 100)) != nil)
    }

    @Test func aFailedFlushIsMergedBackAndRetriedWithExponentialBackOff() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 12, records: 2, deadLetters: 0)
        _ = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1), pendingRows: 1)))
        // Consumption goes on while the flush runs.
        machine.consumed(Self.p0, next: 14, records: 2, deadLetters: 1)
        let failed = machine.flushCompleted(
            .failed(cause: "syntax", storeUnreachable: false), now: Self.at(1.2), pendingRows: 2)
        #expect(failed.contains(.restoreRows))
        #expect(failed.contains(.reportFlushFailed(cause: "syntax", retryIn: .milliseconds(200))))
        // Within the back-off nothing is flushed; the retry comes when the next flush is due.
        #expect(machine.tick(now: Self.at(1.3), pendingRows: 2).isEmpty)
        let offsets = try #require(Self.flushedOffsets(machine.tick(now: Self.at(2.0), pendingRows: 2)))
        // One flush carries both: the furthest offset and the summed counts.
        #expect(offsets == [OffsetAdvance(partition: Self.p0, expected: 10, next: 14, records: 4, deadLetters: 1)])
        // A failure just before the next interval ends: the back-off holds the flush back, and
        // fetching pauses because it is due.
        _ = machine.flushCompleted(.failed(cause: "x", storeUnreachable: false), now: Self.at(2.9), pendingRows: 2)
        #expect(machine.tick(now: Self.at(3.0), pendingRows: 2) == [.pause])
        let retry = machine.tick(now: Self.at(3.3), pendingRows: 2)
        #expect(Self.flushedOffsets(retry) != nil)
        #expect(retry.last == .resume)
        // Each further failure doubles the delay, up to the cap.
        var delays: [Duration] = []
        var now = Self.at(3.3)
        for _ in 0..<7 {
            for action in machine.flushCompleted(
                .failed(cause: "x", storeUnreachable: false), now: now, pendingRows: 2)
            {
                if case .reportFlushFailed(_, let delay) = action { delays.append(delay) }
            }
            now = now + .seconds(10)
            _ = machine.tick(now: now, pendingRows: 2)
        }
        #expect(
            delays == [
                .milliseconds(800), .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5),
                .seconds(5), .seconds(5),
            ])
        // Success resets the back-off.
        _ = machine.flushCompleted(.committed, now: now, pendingRows: 0)
        #expect(machine.partitions[Self.p0]?.stored == 14)
        machine.consumed(Self.p0, next: 15, records: 1, deadLetters: 0)
        _ = machine.tick(now: now + .seconds(1), pendingRows: 1)
        let reset = machine.flushCompleted(
            .failed(cause: "x", storeUnreachable: false), now: now + .seconds(1), pendingRows: 1)
        #expect(reset.contains(.reportFlushFailed(cause: "x", retryIn: .milliseconds(200))))
    }

    @Test func aFlushFallingDueWhileThePreviousRunsPausesAndResumesAfter() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 11, records: 1, deadLetters: 0)
        _ = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1), pendingRows: 1)))
        machine.consumed(Self.p0, next: 12, records: 1, deadLetters: 0)
        #expect(machine.tick(now: Self.at(1.5), pendingRows: 1).isEmpty)
        #expect(machine.tick(now: Self.at(2.0), pendingRows: 1) == [.pause])
        #expect(machine.paused)
        #expect(machine.tick(now: Self.at(2.5), pendingRows: 1).isEmpty, "paused once, not on every tick")
        // The slow flush commits: the next starts at once and fetching resumes.
        let after = machine.flushCompleted(.committed, now: Self.at(3), pendingRows: 1)
        let offsets = try #require(Self.flushedOffsets(after))
        #expect(offsets == [OffsetAdvance(partition: Self.p0, expected: 11, next: 12, records: 1, deadLetters: 0)])
        #expect(after.last == .resume)
        #expect(!machine.paused)
    }

    @Test func aFencedFlushDropsWhatWasNotStoredAndRestartsFromTheStoredOffsets() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 20, records: 10, deadLetters: 0)
        _ = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1), pendingRows: 4)))
        machine.consumed(Self.p1, next: 3, records: 3, deadLetters: 0)
        let fenced = machine.flushCompleted(.fenced([Self.p0]), now: Self.at(1.1), pendingRows: 2)
        #expect(fenced == [.reportFenced([Self.p0]), .discardUnstored, .restartFromStoredOffsets])
        #expect(machine.partitions.values.allSatisfy { $0.pending == nil }, "consumed-since is dropped too")
        machine.restarted(stored: [Self.p0: 25])
        #expect(machine.partitions[Self.p0]?.stored == 25)
        #expect(machine.partitions[Self.p1]?.stored == nil)
        // The next flush expects the offsets read back.
        machine.consumed(Self.p0, next: 26, records: 1, deadLetters: 0)
        let offsets = try #require(Self.flushedOffsets(machine.tick(now: Self.at(2.2), pendingRows: 1)))
        #expect(offsets.first?.expected == 25)
    }

    @Test func revocationDuringAFlushWaitsForItThenStoresTheRestAndLetsGo() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 12, records: 2, deadLetters: 0)
        _ = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1), pendingRows: 1)))
        machine.consumed(Self.p0, next: 13, records: 1, deadLetters: 0)
        let revoked: Set = [Self.p0, Self.p1]
        #expect(machine.revoking(revoked, pendingRows: 1) == .awaitFlight)
        #expect(machine.flushCompleted(.committed, now: Self.at(1.5), pendingRows: 1).isEmpty)
        guard case .flush(let offsets) = machine.revoking(revoked, pendingRows: 1) else {
            Issue.record("expected the final flush")
            return
        }
        #expect(offsets == [OffsetAdvance(partition: Self.p0, expected: 12, next: 13, records: 1, deadLetters: 0)])
        _ = machine.flushCompleted(.committed, now: Self.at(1.6), pendingRows: 0)
        let step = machine.revoking(revoked, pendingRows: 0)
        #expect(
            step
                == .release(
                    Machine.Release(discardUnstored: false, restartRemaining: false, resume: false, unstored: [:])))
        #expect(machine.partitions.isEmpty)
    }

    @Test func shutdownDuringAFailingFlushTriesABoundedNumberOfTimesAndReportsWhatIsUnstored() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 17, records: 7, deadLetters: 0)
        let all: Set = [Self.p0, Self.p1]
        var attempts = 0
        var release: Machine.Release?
        for _ in 0..<20 {
            switch machine.revoking(all, pendingRows: 3) {
            case .awaitFlight: Issue.record("no flush was in flight")
            case .flush:
                attempts += 1
                let actions = machine.flushCompleted(
                    .failed(cause: "refused", storeUnreachable: false), now: Self.at(Double(attempts)), pendingRows: 3)
                #expect(actions == [.restoreRows, .reportFlushFailed(cause: "refused", retryIn: actions.retryIn)])
            case .release(let done): release = done
            }
            if release != nil { break }
        }
        #expect(attempts == 3)
        #expect(
            release
                == Machine.Release(
                    discardUnstored: true, restartRemaining: false, resume: false, unstored: [Self.p0: 7]))
    }

    @Test func withTheStoreUnreachableShutdownTriesOnce() {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 11, records: 1, deadLetters: 0)
        _ = machine.tick(now: Self.at(1), pendingRows: 1)
        _ = machine.flushCompleted(.failed(cause: "refused", storeUnreachable: true), now: Self.at(1), pendingRows: 1)
        var attempts = 0
        loop: while true {
            switch machine.revoking([Self.p0, Self.p1], pendingRows: 1) {
            case .awaitFlight: break loop
            case .flush:
                attempts += 1
                _ = machine.flushCompleted(
                    .failed(cause: "refused", storeUnreachable: true), now: Self.at(2), pendingRows: 1)
            case .release(let release):
                #expect(release.unstored == [Self.p0: 1])
                break loop
            }
        }
        #expect(attempts == 1)
    }

    @Test func anUnreachableStoreIsReportedOnceProbedAndFlushedAtOnceWhenItAnswers() throws {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 11, records: 1, deadLetters: 0)
        _ = try #require(Self.flushedOffsets(machine.tick(now: Self.at(1), pendingRows: 1)))
        let down = machine.flushCompleted(
            .failed(cause: "connection refused", storeUnreachable: true), now: Self.at(1.1), pendingRows: 1)
        #expect(down == [.restoreRows, .reportStoreUnreachable(cause: "connection refused")])
        // No flush while it is down: probes, one a second, and fetching pauses once a flush is due.
        #expect(machine.tick(now: Self.at(1.5), pendingRows: 1).isEmpty)
        #expect(machine.tick(now: Self.at(2.1), pendingRows: 1) == [.probeStore, .pause])
        #expect(machine.tick(now: Self.at(2.5), pendingRows: 1).isEmpty, "one probe at a time")
        #expect(machine.probeCompleted(reachable: false, now: Self.at(2.6)).isEmpty)
        #expect(machine.tick(now: Self.at(3.0), pendingRows: 1).isEmpty)
        #expect(machine.tick(now: Self.at(3.2), pendingRows: 1) == [.probeStore])
        // It answers: the held rows are flushed at once, fetching resumes.
        let back = machine.probeCompleted(reachable: true, now: Self.at(3.3))
        let offsets = try #require(Self.flushedOffsets(back))
        #expect(offsets.first?.next == 11)
        #expect(back.last == .resume)
        let stored = machine.flushCompleted(.committed, now: Self.at(3.4), pendingRows: 0)
        #expect(stored == [.reportStoreRecovered(after: .milliseconds(2300), records: 1)])
    }

    @Test func recordsOfPartitionsNotOwnedAreNotCounted() {
        var machine = Self.machine()
        let other = SourcePartition(topic: "t", partition: 9)
        #expect(!machine.owns(other))
        machine.consumed(other, next: 5, records: 5, deadLetters: 0)
        #expect(machine.partitions[other] == nil)
    }

    @Test func aPartialRevocationWithUnstoredRowsRestartsThePartitionsThatStay() {
        var machine = Self.machine()
        machine.consumed(Self.p0, next: 11, records: 1, deadLetters: 0)
        machine.consumed(Self.p1, next: 4, records: 4, deadLetters: 0)
        var release: Machine.Release?
        while release == nil {
            switch machine.revoking([Self.p0], pendingRows: 2) {
            case .awaitFlight: return
            case .flush:
                _ = machine.flushCompleted(
                    .failed(cause: "x", storeUnreachable: false), now: Self.at(1), pendingRows: 2)
            case .release(let done): release = done
            }
        }
        #expect(release?.discardUnstored == true)
        #expect(release?.restartRemaining == true, "p1's rows were dropped with p0's: it must be read again")
        #expect(machine.partitions.keys.sorted() == [Self.p1])
        #expect(machine.partitions[Self.p1]?.pending == nil)
    }
}

extension [IngestStateMachine.Action] {
    fileprivate var retryIn: Duration {
        for action in self { if case .reportFlushFailed(_, let delay) = action { return delay } }
        return .zero
    }
}
