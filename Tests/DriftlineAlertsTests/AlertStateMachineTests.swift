import DriftlineAlerts
import Foundation
import Testing

/// Oracle: sequences worked by hand from the documented transition table.
struct AlertStateMachineTests {
    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_000_000 + seconds) }

    /// Feeds (time, active) pairs and returns the actions.
    static func run(
        _ machine: inout AlertStateMachine, _ steps: [(Double, Bool)]
    ) -> [AlertStateMachine.Action] {
        steps.map { machine.observe(conditionActive: $0.1, at: at($0.0)) }
    }

    @Test func withoutForTheFirstActiveEvaluationFiresAndTheFirstInactiveResolves() {
        var machine = AlertStateMachine()
        let actions = Self.run(&machine, [(0, false), (30, true), (60, true), (90, false), (120, false)])
        #expect(
            actions == [
                .none, .notifyFiring(startsAt: Self.at(30)), .none,
                .notifyResolved(startsAt: Self.at(30), endsAt: Self.at(90)), .none,
            ])
        #expect(machine.state == .resolved(since: Self.at(30), endedAt: Self.at(90)))
    }

    /// for: 5m, evaluations every 60 s: active from t=0, fires at t=300 (held 300 s), startsAt t=0.
    @Test func pendingFiresOnceTheConditionHeldForTheForDuration() {
        var machine = AlertStateMachine(pendingFor: .seconds(300))
        let actions = Self.run(&machine, (0...6).map { (Double($0) * 60, true) })
        #expect(actions == [.none, .none, .none, .none, .none, .notifyFiring(startsAt: Self.at(0)), .none])
        #expect(machine.state == .firing(since: Self.at(0), lastActiveAt: Self.at(360)))
    }

    /// A blip shorter than `for` never notifies, and the next pending period starts afresh.
    @Test func anInactiveEvaluationWhilePendingReturnsToInactiveSilently() {
        var machine = AlertStateMachine(pendingFor: .seconds(120))
        let actions = Self.run(&machine, [(0, true), (60, true), (90, false), (120, true), (180, true), (240, true)])
        #expect(actions == [.none, .none, .none, .none, .none, .notifyFiring(startsAt: Self.at(120))])
    }

    /// keep_firing_for: 2m. Inactive at 60 and 120 (< 120 s after the last active at 30), active again at 150:
    /// no resolution, no re-page. Inactive from 180: resolves at 300, the first evaluation ≥ 150 + 120.
    @Test func keepFiringForHoldsThroughFlapsAndResolvesAfterTheQuietPeriod() {
        var machine = AlertStateMachine(keepFiringFor: .seconds(120))
        let actions = Self.run(
            &machine,
            [(0, true), (30, true), (60, false), (120, false), (150, true), (180, false), (240, false), (300, false)])
        #expect(
            actions == [
                .notifyFiring(startsAt: Self.at(0)), .none, .none, .none, .none, .none, .none,
                .notifyResolved(startsAt: Self.at(0), endsAt: Self.at(300)),
            ])
    }

    @Test func aResolvedAlertThatBurnsAgainStartsANewPendingPeriod() {
        var machine = AlertStateMachine(pendingFor: .seconds(60))
        let actions = Self.run(&machine, [(0, true), (60, true), (120, false), (180, true), (240, true)])
        #expect(
            actions == [
                .none, .notifyFiring(startsAt: Self.at(0)), .notifyResolved(startsAt: Self.at(0), endsAt: Self.at(120)),
                .none, .notifyFiring(startsAt: Self.at(180)),
            ])
    }
}
