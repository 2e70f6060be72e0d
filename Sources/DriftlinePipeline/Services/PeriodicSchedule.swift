/// When a periodic job runs next: every `interval` from the start of the previous run, and
/// never two runs at once — a run that takes longer than the interval is followed at once by
/// the next, not by a burst of the runs it missed.
public struct PeriodicSchedule: Sendable, Equatable {
    public var interval: Duration
    /// How long after the service starts the first run happens.
    public var initialDelay: Duration

    public init(interval: Duration, initialDelay: Duration = .zero) {
        self.interval = interval
        self.initialDelay = initialDelay
    }

    public func firstRun(startedAt start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        start + initialDelay
    }

    public func nextRun(
        afterRunStartedAt started: ContinuousClock.Instant, finishedAt finished: ContinuousClock.Instant
    ) -> ContinuousClock.Instant {
        max(started + interval, finished)
    }
}
