public import Metrics
import Synchronization

/// Alert notifications delivered and failed, per receiver, through swift-metrics.
public final class AlertMetrics: Sendable {
    public let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func delivered(receiver: String) {
        counter(MetricNames.alertDeliveries, [("receiver", receiver)]).increment()
    }

    /// `kind`: `retry` (tried again later) or `rejected` (the receiver refused it for good).
    public func failed(receiver: String, kind: String) {
        counter(MetricNames.alertDeliveryFailures, [("receiver", receiver), ("kind", kind)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{1F}")
        return counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = made
            return made
        }
    }
}
