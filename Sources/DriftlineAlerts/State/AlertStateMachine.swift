public import Foundation

/// The life of one alert series, as a value: each evaluation feeds whether the condition holds, and the machine
/// answers what to notify. No clocks: the evaluation time comes in as an argument and must not decrease.
///
/// ```
///  inactive ──active──► pending ──active, held ≥ pendingFor──► firing ──inactive for ≥ keepFiringFor──► resolved
///     ▲                   │                                     │  ▲                                    │
///     └─────inactive──────┘                                     └──┘ active / inactive < keepFiringFor   │
///  (resolved behaves as inactive: active again starts a new pending period) ◄───────────────────────────┘
/// ```
///
/// - `pendingFor` (`for:`): the condition must be seen active at two evaluations at least `pendingFor` apart
///   (with 0, the first active evaluation fires). Any inactive evaluation while pending returns to inactive
///   without a notification.
/// - `keepFiringFor` (`keep_firing_for:`): hysteresis on resolving. A firing alert resolves only at an
///   evaluation at least `keepFiringFor` after the last one that saw the condition active, so a condition that
///   flaps for less than that neither resolves nor re-pages. With 0 the first inactive evaluation resolves.
/// - `startsAt` is when the condition was first seen active (the start of pending, as Prometheus' `activeAt`);
///   `endsAt` of a resolution is the evaluation that resolved it.
public struct AlertStateMachine: Hashable, Sendable, Codable {
    public enum State: Hashable, Sendable, Codable {
        case inactive
        case pending(since: Date)
        case firing(since: Date, lastActiveAt: Date)
        case resolved(since: Date, endedAt: Date)
    }

    public enum Action: Hashable, Sendable {
        case none
        case notifyFiring(startsAt: Date)
        case notifyResolved(startsAt: Date, endsAt: Date)
    }

    public private(set) var state: State
    public var pendingFor: Duration
    public var keepFiringFor: Duration

    public init(pendingFor: Duration = .zero, keepFiringFor: Duration = .zero, state: State = .inactive) {
        self.pendingFor = pendingFor
        self.keepFiringFor = keepFiringFor
        self.state = state
    }

    public var isFiring: Bool {
        if case .firing = state { return true }
        return false
    }

    public mutating func observe(conditionActive active: Bool, at now: Date) -> Action {
        switch (state, active) {
        case (.inactive, true), (.resolved, true):
            return startPending(at: now)
        case (.inactive, false), (.resolved, false):
            return .none
        case (.pending(let since), true):
            guard now.timeIntervalSince(since) >= pendingFor.timeInterval else { return .none }
            state = .firing(since: since, lastActiveAt: now)
            return .notifyFiring(startsAt: since)
        case (.pending, false):
            state = .inactive
            return .none
        case (.firing(let since, _), true):
            state = .firing(since: since, lastActiveAt: now)
            return .none
        case (.firing(let since, let lastActive), false):
            guard now.timeIntervalSince(lastActive) >= keepFiringFor.timeInterval else { return .none }
            state = .resolved(since: since, endedAt: now)
            return .notifyResolved(startsAt: since, endsAt: now)
        }
    }

    private mutating func startPending(at now: Date) -> Action {
        if pendingFor <= .zero {
            state = .firing(since: now, lastActiveAt: now)
            return .notifyFiring(startsAt: now)
        }
        state = .pending(since: now)
        return .none
    }
}
