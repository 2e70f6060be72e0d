public import DriftlineAlerts
import DriftlineStore
import Foundation
public import Logging
public import ServiceLifecycle

/// The alert engine as a service: every `every` it evaluates every rule from the stored
/// aggregates and steps the engine (state, history, outbox and SLO error budgets in one
/// transaction); between evaluations it ticks every second while notification groups wait, so a
/// group falls due at its `group_wait`, not at the next evaluation. The outbox sender runs beside it.
///
/// Every store call has a deadline (one interval, at least 10 s). A rule that fails is logged in one line with its cause and
/// leaves its series as they are; the others go on.
public struct AlertService: Service {
    public let rules: [any AlertRule]
    public let engine: AlertEngine
    public let store: PostgresAlertStore
    public let every: Duration
    /// Each rule evaluation and each step: one interval, but at least 10 s, so that a short
    /// interval on a loaded database does not time every evaluation out.
    public var deadline: Duration { max(every, .seconds(10)) }
    private let sender: OutboxSender<PostgresAlertStore, HTTPWebhookTransport>?
    private let logger: Logger
    private let tick: Duration

    public init(
        rules: [any AlertRule], routes: [AlertRoute], externalURL: String, store: PostgresAlertStore,
        every: Duration, logger: Logger, tick: Duration = .seconds(1), metrics: AlertMetrics = AlertMetrics()
    ) {
        self.rules = rules
        self.engine = AlertEngine(routes: routes, externalURL: externalURL)
        self.store = store
        self.every = every
        self.logger = logger
        self.tick = tick
        if routes.isEmpty {
            self.sender = nil
        } else {
            var sender = OutboxSender(
                store: store, transport: HTTPWebhookTransport(), receivers: routes.map(\.receiver),
                pollInterval: tick)
            sender.observer = { [logger, metrics] message, decision in
                let metadata: Logger.Metadata = [
                    "receiver": "\(message.receiver)", "outbox_id": "\(message.id)",
                    "attempt": "\(message.attempts + 1)",
                ]
                switch decision {
                case .delivered:
                    metrics.delivered(receiver: message.receiver)
                    logger.info("alert notification delivered", metadata: metadata)
                case .retry(_, let reason):
                    metrics.failed(receiver: message.receiver, kind: "retry")
                    logger.warning(
                        "alert notification not delivered, will retry",
                        metadata: metadata.merging(["cause": "\(reason)"]) { $1 })
                case .reject(let reason):
                    metrics.failed(receiver: message.receiver, kind: "rejected")
                    logger.error(
                        "alert notification refused by the receiver, not retried",
                        metadata: metadata.merging(["cause": "\(reason)"]) { $1 })
                }
            }
            self.sender = sender
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let sender { group.addTask { await self.deliver(with: sender) } }
                group.addTask { await self.evaluate() }
            }
        }
    }

    /// Evaluates on schedule and ticks the groups in between, until cancelled.
    private func evaluate() async {
        var nextEvaluation = ContinuousClock.now
        var groupsWaiting = true
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now >= nextEvaluation {
                nextEvaluation = now + every
                groupsWaiting = await step(evaluations: await evaluateRules()) ?? groupsWaiting
            } else if groupsWaiting {
                groupsWaiting = await step(evaluations: []) ?? groupsWaiting
            }
            do { try await Task.sleep(for: tick) } catch { return }
        }
    }

    /// Every rule's evaluation at this moment; rules that are no longer configured (a file
    /// removed) evaluate to nothing, so their alerts resolve.
    func evaluateRules(at time: Date = Date()) async -> [AlertEngine.Evaluation] {
        var evaluations: [AlertEngine.Evaluation] = []
        for rule in rules {
            do {
                evaluations.append(
                    try await Deadline.run(deadline) { [store] in
                        try await rule.evaluation(source: store, at: time)
                    })
            } catch {
                logger.warning(
                    "alert rule evaluation failed",
                    metadata: [
                        "rule": "\(rule.name)", "file": "\(rule.sourceFile)",
                        "cause": "\(StoreFailure.describe(error))",
                    ])
                evaluations.append(AlertEngine.Evaluation(rule: rule.name, conditions: nil))
            }
        }
        return evaluations
    }

    /// One engine step; returns whether groups still wait, nil when the step failed.
    private func step(evaluations: [AlertEngine.Evaluation]) async -> Bool? {
        do {
            let time = Date()
            let (step, groupsWaiting) = try await Deadline.run(deadline) { [store, engine, rules] in
                try await store.step(engine, evaluations: evaluations, knownRules: Set(rules.map(\.name)), at: time)
            }
            for change in step.changes {
                logger.notice(
                    "alert \(change.status.rawValue)",
                    metadata: [
                        "alertname": "\(change.labels["alertname"] ?? "")",
                        "severity": "\(change.labels["severity"] ?? "")",
                        "labels": "\(change.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })",
                        "summary": "\(change.annotations["summary"] ?? "")",
                    ])
            }
            return groupsWaiting
        } catch {
            logger.warning(
                "alert evaluation could not be stored", metadata: ["cause": "\(StoreFailure.describe(error))"])
            return nil
        }
    }

    /// Runs the outbox sender, restarting its loop after a store failure: after 1 s, doubling up
    /// to 30 s while failures go on, so an outage is logged a few times, not every second.
    private func deliver(with sender: OutboxSender<PostgresAlertStore, HTTPWebhookTransport>) async {
        var pause = tick
        while !Task.isCancelled {
            do {
                if try await sender.runOnce() == 0 { try await Task.sleep(for: tick) }
                pause = tick
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "alert delivery pass failed",
                    metadata: ["cause": "\(StoreFailure.describe(error))", "retry_in": "\(pause)"])
                do { try await Task.sleep(for: pause) } catch { return }
                pause = min(pause * 2, .seconds(30))
            }
        }
    }
}
