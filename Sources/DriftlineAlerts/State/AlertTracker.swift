public import Foundation

/// The state machines of every alert series, keyed by fingerprint, as one value the store persists (it is
/// `Codable`) so that a restart neither re-pages a firing alert nor forgets it.
///
/// Each rule evaluation is applied with the rule's name: series of that rule missing from the evaluation (a
/// group that went quiet) are observed as inactive, so they resolve instead of firing forever; series that are
/// inactive or resolved and missing are forgotten.
public struct AlertTracker: Hashable, Sendable, Codable {
    public struct Series: Hashable, Sendable, Codable {
        /// The ``AlertRule`` name that produces the series.
        public var owner: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var sourceFile: String
        public var machine: AlertStateMachine
    }

    public private(set) var series: [AlertFingerprint: Series]

    public init(series: [AlertFingerprint: Series] = [:]) {
        self.series = series
    }

    /// Feeds one evaluation of rule `owner` and returns the notifications it causes, ordered by fingerprint.
    public mutating func apply(
        _ conditions: [AlertCondition], from owner: String, at time: Date
    ) -> [AlertNotification] {
        var notifications: [AlertNotification] = []
        var seen: Set<AlertFingerprint> = []
        for condition in conditions {
            let fingerprint = condition.fingerprint
            seen.insert(fingerprint)
            var entry =
                series[fingerprint]
                ?? Series(
                    owner: owner, labels: condition.labels, annotations: condition.annotations,
                    sourceFile: condition.sourceFile,
                    machine: AlertStateMachine(pendingFor: condition.pendingFor, keepFiringFor: condition.keepFiringFor)
                )
            entry.machine.pendingFor = condition.pendingFor
            entry.machine.keepFiringFor = condition.keepFiringFor
            // A firing alert's resolution carries the annotations it fired with, refreshed while it stays active.
            if condition.isActive || !entry.machine.isFiring { entry.annotations = condition.annotations }
            let action = entry.machine.observe(conditionActive: condition.isActive, at: time)
            series[fingerprint] = entry
            if let notification = Self.notification(for: action, fingerprint: fingerprint, series: entry) {
                notifications.append(notification)
            }
        }
        for (fingerprint, var entry) in series where entry.owner == owner && !seen.contains(fingerprint) {
            let action = entry.machine.observe(conditionActive: false, at: time)
            if let notification = Self.notification(for: action, fingerprint: fingerprint, series: entry) {
                notifications.append(notification)
            }
            switch entry.machine.state {
            case .inactive, .resolved: series[fingerprint] = nil
            case .pending, .firing: series[fingerprint] = entry
            }
        }
        return notifications.sorted { $0.fingerprint < $1.fingerprint }
    }

    /// The rules that own series now.
    public var owners: Set<String> { Set(series.values.map(\.owner)) }

    /// The series currently firing.
    public var firing: [AlertFingerprint: Series] { series.filter { $0.value.machine.isFiring } }

    private static func notification(
        for action: AlertStateMachine.Action, fingerprint: AlertFingerprint, series: Series
    ) -> AlertNotification? {
        switch action {
        case .none:
            return nil
        case .notifyFiring(let startsAt):
            return AlertNotification(
                fingerprint: fingerprint, status: .firing, labels: series.labels, annotations: series.annotations,
                startsAt: startsAt, endsAt: nil, sourceFile: series.sourceFile)
        case .notifyResolved(let startsAt, let endsAt):
            return AlertNotification(
                fingerprint: fingerprint, status: .resolved, labels: series.labels, annotations: series.annotations,
                startsAt: startsAt, endsAt: endsAt, sourceFile: series.sourceFile)
        }
    }
}
