public import Foundation

/// Everything the shipped rule kinds read from the store. A new kind that needs other data declares its own
/// source protocol, the store conforms to it, and the kind casts the source it is given.
public typealias AlertDataSource = EventCountSource & MetricSource

/// A rule loaded from `alerts/`: the extension point for rule kinds (SLO burn rate, threshold; drift and budget
/// kinds to come). A kind is registered once in ``AlertRuleKindRegistry`` with its `kind:` word and decoder; the
/// scheduler, state machine and delivery treat every kind alike.
public protocol AlertRule: Sendable {
    /// Unique across `alerts/`.
    var name: String { get }
    var sourceFile: String { get }
    /// Reads what the rule needs from `source` and judges every series at `time`. The verdict itself should be a
    /// pure function of what was read, so that it can be tested without a store.
    func evaluate(source: any AlertDataSource, at time: Date) async throws -> [AlertCondition]

    /// What the engine steps with: the conditions of ``evaluate(source:at:)`` and whatever the kind reports
    /// beside its series (an SLO's error budget). The default carries the conditions alone.
    func evaluation(source: any AlertDataSource, at time: Date) async throws -> AlertEngine.Evaluation
}

extension AlertRule {
    public func evaluation(source: any AlertDataSource, at time: Date) async throws -> AlertEngine.Evaluation {
        AlertEngine.Evaluation(rule: name, conditions: try await evaluate(source: source, at: time))
    }
}
