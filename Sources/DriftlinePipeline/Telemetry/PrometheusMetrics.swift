import Metrics
public import Prometheus

/// The Prometheus backend of Driftline's metrics. swift-metrics allows one bootstrap per
/// process, so ``bootstrap()`` does it once and hands every later caller the same registry;
/// code that only needs a registry of its own (tests) makes one with ``factory(registry:)`` and
/// injects it instead.
public enum PrometheusMetrics {
    /// Flushes take milliseconds on an idle store and tens of seconds at their deadline
    /// (`flush.timeout_seconds`, 30 s by default): buckets that cover both ends.
    static let flushBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60), .seconds(120),
    ]

    /// A swift-metrics factory over `registry`, with Driftline's histogram buckets.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricNames.flushDuration] = flushBuckets
        return factory
    }

    private static let bootstrapped: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(Self.factory(registry: registry))
        return registry
    }()

    /// Makes the Prometheus registry the process-wide swift-metrics backend (once; later calls
    /// return the same registry).
    public static func bootstrap() -> PrometheusCollectorRegistry { bootstrapped }
}
