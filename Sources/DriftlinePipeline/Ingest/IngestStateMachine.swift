import DriftlineStore

/// The decisions of ingest, as a value: which partitions this member owns and where their stored
/// offsets are, what was consumed since the last flush, the flush in flight, pause, back-off,
/// store health and the fencing restart. It takes events and the current time and returns the
/// actions for its driver (``IngestHandler``) to carry out; it does no I/O and reads no clock, so
/// every path — a failed flush, a fenced one, a revocation during a flush, a shutdown while the
/// store is down — is tested without Kafka or PostgreSQL (swift-nio's and postgres-nio's
/// state-machine pattern).
///
/// The rows themselves stay in the analysers: an action tells the driver when to take them
/// (``Action/flush(_:)``), put them back (``Action/restoreRows``) or drop them
/// (``Action/discardUnstored``); the machine keeps only the offsets that go with them.
struct IngestStateMachine {
    typealias Instant = ContinuousClock.Instant

    struct Settings: Sendable, Equatable {
        var flushInterval: Duration
        /// Rows held by the analysers that make a flush due before its interval.
        var maxPendingRows: Int
        var firstRetryDelay: Duration = .milliseconds(200)
        /// Back-off doubles up to this after failures that are not an unreachable store.
        var maxRetryDelay: Duration = .seconds(5)
        /// While the store is unreachable, a cheap probe runs this often; a successful probe
        /// flushes at once, so a recovered store resumes within about this time.
        var probeInterval: Duration = .seconds(1)
        /// Flushes tried before partitions are let go (a rebalance or shutdown).
        var revocationAttempts = 3
    }

    /// The position of a partition this member owns: the stored next offset it expects
    /// (nil: no row stored yet) and what was consumed since the last flush.
    struct Partition: Equatable {
        var stored: Int64?
        var pending: Pending?
    }

    struct Pending: Equatable {
        var next: Int64
        var records: Int64
        var deadLetters: Int64
    }

    enum Action: Equatable {
        /// Take every analyser's rows and submit them with these offsets as one flush.
        case flush([OffsetAdvance])
        /// The flush failed: merge its rows back in front of what was consumed since.
        case restoreRows
        /// Drop all rows not stored (after fencing, or when partitions go with unstored rows).
        case discardUnstored
        /// Read the stored offsets again and seek every owned partition there; then call
        /// ``restarted(stored:)``.
        case restartFromStoredOffsets
        /// Stop or start fetching (polling goes on, so the group membership stays alive).
        case pause, resume
        /// Check with a cheap round trip whether the store answers; then call ``probeCompleted(reachable:now:)``.
        case probeStore
        /// Log lines an operator can act on, one per change of state.
        case reportStoreUnreachable(cause: String)
        case reportStoreRecovered(after: Duration, records: Int64)
        case reportFlushFailed(cause: String, retryIn: Duration)
        case reportFenced([SourcePartition])
    }

    /// What the driver does next while partitions are being taken away.
    enum RevocationStep: Equatable {
        /// Wait (with a deadline) for the flush in flight, and pass its result to ``flushCompleted(_:now:pendingRows:)``.
        case awaitFlight
        /// Submit these offsets with the analysers' rows, wait for the result and pass it on.
        case flush([OffsetAdvance])
        /// Let the partitions go.
        case release(Release)
    }

    struct Release: Equatable {
        /// Drop the analysers' unstored rows (nothing of them reached the store).
        var discardUnstored: Bool
        /// Seek the partitions that stay back to their stored offsets (their rows were dropped).
        var restartRemaining: Bool
        /// Resume fetching before letting go: librdkafka keeps a partition's pause flag across
        /// unassign and a later assign.
        var resume: Bool
        /// Records consumed but not stored, per partition: they will be read again by whoever
        /// owns the partition next.
        var unstored: [SourcePartition: Int64]
    }

    enum FlushResult: Equatable {
        case committed
        case fenced([SourcePartition])
        case failed(cause: String, storeUnreachable: Bool)
    }

    private enum Health: Equatable {
        case healthy
        case unreachable(since: Instant, nextProbe: Instant, probing: Bool)
        /// A probe answered; the outage ends with the next committed flush.
        case recovering(since: Instant)
    }

    let settings: Settings
    private(set) var partitions: [SourcePartition: Partition] = [:]
    /// The offsets of the flush in flight, kept to merge back if it fails.
    private(set) var inFlight: [OffsetAdvance]?
    private(set) var paused = false
    private var lastFlush: Instant
    private var retryNotBefore: Instant
    private var retryDelay: Duration
    private var health = Health.healthy
    private var revocationAttempts = 0
    private var revoking = false

    init(settings: Settings, now: Instant) {
        self.settings = settings
        self.lastFlush = now
        self.retryNotBefore = now
        self.retryDelay = settings.firstRetryDelay
    }

    var isStoreUnreachable: Bool {
        if case .unreachable = health { return true }
        return false
    }

    // MARK: Consuming

    /// Whether records of `partition` are this member's to fold in. A message of a partition it
    /// no longer owns (delivered around a rebalance) is left for the new owner, who starts at
    /// the stored offset.
    func owns(_ partition: SourcePartition) -> Bool { partitions[partition] != nil }

    /// Records up to `next` of an owned partition were folded in (or dead-lettered).
    mutating func consumed(_ partition: SourcePartition, next: Int64, records: Int64, deadLetters: Int64) {
        guard var state = partitions[partition] else { return }
        if var pending = state.pending {
            pending.next = next
            pending.records += records
            pending.deadLetters += deadLetters
            state.pending = pending
        } else {
            state.pending = Pending(next: next, records: records, deadLetters: deadLetters)
        }
        partitions[partition] = state
    }

    /// After each consumed batch and on every tick: starts a flush when one is due (the interval
    /// passed, or the analysers hold `maxPendingRows`), probes an unreachable store, and pauses
    /// fetching while a due flush cannot start.
    mutating func tick(now: Instant, pendingRows: Int) -> [Action] {
        var actions: [Action] = []
        switch health {
        case .unreachable(let since, let nextProbe, let probing):
            if !probing && now >= nextProbe {
                health = .unreachable(since: since, nextProbe: now + settings.probeInterval, probing: true)
                actions.append(.probeStore)
            }
        case .healthy, .recovering:
            if isDue(now: now, pendingRows: pendingRows) { startFlush(now: now, pendingRows: pendingRows, &actions) }
        }
        updatePause(now: now, pendingRows: pendingRows, &actions)
        return actions
    }

    private func isDue(now: Instant, pendingRows: Int) -> Bool {
        now - lastFlush >= settings.flushInterval || pendingRows >= settings.maxPendingRows
    }

    private var hasPending: Bool { partitions.values.contains { $0.pending != nil } }

    private mutating func startFlush(now: Instant, pendingRows: Int, _ actions: inout [Action]) {
        guard inFlight == nil, now >= retryNotBefore else { return }
        lastFlush = now
        guard pendingRows > 0 || hasPending else { return }
        let offsets = takeOffsets()
        inFlight = offsets
        actions.append(.flush(offsets))
    }

    private mutating func takeOffsets() -> [OffsetAdvance] {
        var offsets: [OffsetAdvance] = []
        for (partition, state) in partitions {
            guard let pending = state.pending else { continue }
            offsets.append(
                OffsetAdvance(
                    partition: partition, expected: state.stored, next: pending.next, records: pending.records,
                    deadLetters: pending.deadLetters))
            partitions[partition]?.pending = nil
        }
        return offsets.sorted { $0.partition < $1.partition }
    }

    /// Fetching stops while a due flush cannot start (one is in flight, back-off, or the store is
    /// unreachable), so memory stays bounded whatever the outage; it resumes once one can.
    private mutating func updatePause(now: Instant, pendingRows: Int, _ actions: inout [Action]) {
        let blocked = inFlight != nil || now < retryNotBefore || isStoreUnreachable
        let wantPause = blocked && isDue(now: now, pendingRows: pendingRows)
        guard wantPause != paused, !partitions.isEmpty || !wantPause else { return }
        paused = wantPause
        actions.append(wantPause ? .pause : .resume)
    }

    // MARK: Flush results

    mutating func flushCompleted(_ result: FlushResult, now: Instant, pendingRows: Int) -> [Action] {
        guard let offsets = inFlight else { return [] }
        inFlight = nil
        var actions: [Action] = []
        switch result {
        case .committed:
            for advance in offsets where partitions[advance.partition] != nil {
                partitions[advance.partition]?.stored = advance.next
            }
            retryDelay = settings.firstRetryDelay
            retryNotBefore = now
            if case .recovering(let since) = health {
                actions.append(
                    .reportStoreRecovered(after: now - since, records: offsets.reduce(0) { $0 + $1.records }))
            }
            health = .healthy
        case .fenced(let fenced):
            actions += [.reportFenced(fenced), .discardUnstored, .restartFromStoredOffsets]
            for partition in partitions.keys { partitions[partition]?.pending = nil }
            retryDelay = settings.firstRetryDelay
        case .failed(let cause, let unreachable):
            restore(offsets)
            actions.append(.restoreRows)
            if unreachable {
                switch health {
                case .healthy:
                    health = .unreachable(since: now, nextProbe: now + settings.probeInterval, probing: false)
                    actions.append(.reportStoreUnreachable(cause: cause))
                case .recovering(let since), .unreachable(let since, _, _):
                    health = .unreachable(since: since, nextProbe: now + settings.probeInterval, probing: false)
                }
            } else {
                retryNotBefore = now + retryDelay
                actions.append(.reportFlushFailed(cause: cause, retryIn: retryDelay))
                retryDelay = min(retryDelay * 2, settings.maxRetryDelay)
            }
        }
        if !revoking {
            if case .healthy = health, isDue(now: now, pendingRows: pendingRows) {
                startFlush(now: now, pendingRows: pendingRows, &actions)
            }
            updatePause(now: now, pendingRows: pendingRows, &actions)
        }
        return actions
    }

    /// Puts a failed flush's offsets back under what was consumed since: the next flush carries
    /// both (the rows merge, the offsets keep the furthest position).
    private mutating func restore(_ offsets: [OffsetAdvance]) {
        for advance in offsets {
            guard var state = partitions[advance.partition] else { continue }
            if let later = state.pending {
                state.pending = Pending(
                    next: later.next, records: later.records + advance.records,
                    deadLetters: later.deadLetters + advance.deadLetters)
            } else {
                state.pending = Pending(next: advance.next, records: advance.records, deadLetters: advance.deadLetters)
            }
            partitions[advance.partition] = state
        }
    }

    mutating func probeCompleted(reachable: Bool, now: Instant) -> [Action] {
        guard case .unreachable(let since, let nextProbe, _) = health else { return [] }
        guard reachable else {
            health = .unreachable(since: since, nextProbe: nextProbe, probing: false)
            return []
        }
        health = .recovering(since: since)
        retryNotBefore = now
        retryDelay = settings.firstRetryDelay
        var actions: [Action] = []
        // Flush at once (whatever the interval), so the outage's rows are stored now.
        lastFlush = now - settings.flushInterval
        startFlush(now: now, pendingRows: 1, &actions)
        updatePause(now: now, pendingRows: 0, &actions)
        return actions
    }

    // MARK: Rebalances

    mutating func assigned(_ stored: [SourcePartition: Int64?]) {
        for (partition, offset) in stored { partitions[partition] = Partition(stored: offset, pending: nil) }
    }

    /// After ``Action/restartFromStoredOffsets``: the offsets read back from the store.
    mutating func restarted(stored: [SourcePartition: Int64]) {
        for partition in partitions.keys {
            partitions[partition] = Partition(stored: stored[partition], pending: nil)
        }
    }

    /// Called repeatedly while `revoked` are taken away, until it returns ``RevocationStep/release(_:)``:
    /// finish the flush in flight, store what was consumed (up to `revocationAttempts` tries,
    /// one when the store is unreachable), then let go.
    mutating func revoking(_ revoked: Set<SourcePartition>, pendingRows: Int) -> RevocationStep {
        revoking = true
        if inFlight != nil { return .awaitFlight }
        let limit = isStoreUnreachable ? min(1, settings.revocationAttempts) : settings.revocationAttempts
        if (pendingRows > 0 || hasPending) && revocationAttempts < limit {
            revocationAttempts += 1
            let offsets = takeOffsets()
            inFlight = offsets
            return .flush(offsets)
        }
        revocationAttempts = 0
        revoking = false
        var unstored: [SourcePartition: Int64] = [:]
        for (partition, state) in partitions {
            if let pending = state.pending { unstored[partition] = pending.records }
        }
        let leftRows = pendingRows > 0 || !unstored.isEmpty
        for partition in revoked { partitions[partition] = nil }
        let release = Release(
            discardUnstored: leftRows, restartRemaining: leftRows && !partitions.isEmpty, resume: paused,
            unstored: unstored)
        if leftRows { for partition in partitions.keys { partitions[partition]?.pending = nil } }
        paused = false
        return .release(release)
    }
}
