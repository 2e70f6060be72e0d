public import Foundation

/// Everything the alert engine must remember across evaluations and restarts, as one value the
/// store keeps in one row: every series' state machine and every receiver's notification groups.
public struct AlertEngineState: Hashable, Sendable, Codable {
    public var tracker: AlertTracker
    /// By receiver name.
    public var groups: [String: NotificationGroups]

    public init(tracker: AlertTracker = AlertTracker(), groups: [String: NotificationGroups] = [:]) {
        self.tracker = tracker
        self.groups = groups
    }
}

/// One webhook call to put in the outbox.
public struct OutgoingNotification: Hashable, Sendable {
    public var receiver: String
    public var payload: WebhookPayload
}

/// What one step of the engine changed: the series that fired or resolved (history) and the
/// webhook calls now due.
public struct AlertStep: Hashable, Sendable {
    public var changes: [AlertNotification] = []
    public var outgoing: [OutgoingNotification] = []

    public init(changes: [AlertNotification] = [], outgoing: [OutgoingNotification] = []) {
        self.changes = changes
        self.outgoing = outgoing
    }
}

/// The alert engine without I/O: rule evaluations in, state changes and rendered notifications
/// out. The store runs ``step(_:evaluations:at:)`` inside the transaction that holds the state
/// row, and writes what it returns in that same transaction — so a change and its notification
/// are stored together or not at all.
public struct AlertEngine: Sendable {
    public var routes: [AlertRoute]
    /// Alertmanager's `externalURL`; `generatorURL` is it followed by the rule file.
    public var externalURL: String

    public init(routes: [AlertRoute], externalURL: String) {
        self.routes = routes
        self.externalURL = externalURL
    }

    /// One evaluation of one rule: its name and what it said, or nil when it could not be
    /// evaluated (the store was unreachable): then its series are left as they are rather than
    /// read as inactive, which would resolve firing alerts on a database hiccup.
    public struct Evaluation: Sendable {
        public var rule: String
        public var conditions: [AlertCondition]?
        /// An SLO's error budget over its period, read with its conditions. The engine does not judge it;
        /// the store keeps it beside the state (`dl_slo_budgets`) for dashboards.
        public var budget: SLOErrorBudget?

        public init(rule: String, conditions: [AlertCondition]?, budget: SLOErrorBudget? = nil) {
            self.rule = rule
            self.conditions = conditions
            self.budget = budget
        }
    }

    /// Applies `evaluations` (may be empty: a tick that only sends groups that fell due) and
    /// returns what changed and what is due to be sent at `time`. With `knownRules`, series of
    /// rules not among them (a rule file removed) are evaluated as having no active series, so
    /// they resolve rather than fire forever.
    public func step(
        _ state: inout AlertEngineState, evaluations: [Evaluation], knownRules: Set<String>? = nil, at time: Date
    ) -> AlertStep {
        var evaluations = evaluations
        if let knownRules, !evaluations.isEmpty {
            for owner in state.tracker.owners.subtracting(knownRules).sorted() {
                evaluations.append(Evaluation(rule: owner, conditions: []))
            }
        }
        var step = AlertStep()
        for evaluation in evaluations {
            guard let conditions = evaluation.conditions else { continue }
            step.changes += state.tracker.apply(conditions, from: evaluation.rule, at: time)
        }
        for route in routes {
            var groups = state.groups[route.receiver.name] ?? NotificationGroups(settings: route.grouping)
            groups.settings = route.grouping
            for change in step.changes where route.matches(change.labels) {
                groups.add(change, at: time)
            }
            for batch in groups.dueBatches(at: time) {
                step.outgoing.append(
                    OutgoingNotification(
                        receiver: route.receiver.name,
                        payload: WebhookPayload(
                            receiver: route.receiver.name, groupLabels: batch.groupLabels,
                            notifications: batch.notifications, externalURL: externalURL)))
            }
            state.groups[route.receiver.name] = groups
        }
        // Groups of receivers no longer configured would never be sent; they go.
        let configured = Set(routes.map(\.receiver.name))
        state.groups = state.groups.filter { configured.contains($0.key) }
        return step
    }

    /// Whether some notification group holds alerts, so that a later tick may find it due.
    public static func groupsWaiting(in state: AlertEngineState) -> Bool {
        state.groups.values.contains { !$0.isEmpty }
    }
}
