import DriftlineStore
import DriftlineTestSupport
import Foundation
import Prometheus
import Testing

@testable import DriftlinePipeline

/// Driftline's own metrics and readiness without Kafka or PostgreSQL: the `metrics:` settings,
/// the readiness the ingest state machine implies, the lag arithmetic, and what the metric
/// handles write to a registry of the test's own (the process-wide MetricsSystem is never
/// bootstrapped here).
@Suite("Self-metrics")
struct SelfMetricsTests {

    // MARK: Configuration

    @Test func metricsListenOnLoopbackByDefaultAndCanBeMovedOrTurnedOff() throws {
        #expect(PipelineConfiguration().metrics == PipelineConfiguration.MetricsSettings())
        #expect(PipelineConfiguration().metrics?.host == "127.0.0.1")
        #expect(PipelineConfiguration().metrics?.port == 9464)
        let moved = try PipelineConfiguration.parse(yaml: "metrics: {host: 0.0.0.0, port: 9100}\n")
        #expect(moved.metrics?.host == "0.0.0.0" && moved.metrics?.port == 9100)
        #expect(try PipelineConfiguration.parse(yaml: "metrics: off\n").metrics == nil)
    }

    @Test(arguments: [
        ("metrics: {prot: 9100}\n", "metrics.prot", "unknown setting"),
        ("metrics: {port: ninety}\n", "metrics.port", "expected a TCP port number"),
        ("metrics: {port: 70000}\n", "metrics.port", "(0…65535), got 70000"),
        ("metrics: {host: ''}\n", "metrics.host", "expected an address"),
    ])
    func aBadMetricsSectionNamesTheKey(yaml: String, key: String, fragment: String) throws {
        do {
            let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "bad.yaml")
            try configuration.validate(file: "bad.yaml")
            Issue.record("expected an error for \(yaml)")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func metricsAddressFromTheEnvironmentReplacesTheSection() throws {
        var configuration = try PipelineConfiguration.parse(yaml: "metrics: {host: 127.0.0.1, port: 1}\n")
        try configuration.applyEnvironment(["METRICS_ADDRESS": "[::1]:9465"])
        #expect(configuration.metrics?.host == "::1" && configuration.metrics?.port == 9465)
        try configuration.applyEnvironment(["METRICS_ADDRESS": "off"])
        #expect(configuration.metrics == nil)
        for bad in ["9464", "host:", ":9464", "h:99999", "h:x"] {
            var other = PipelineConfiguration()
            #expect(throws: ConfigurationError.self, "\(bad)") { try other.applyEnvironment(["METRICS_ADDRESS": bad]) }
        }
        do {
            var other = PipelineConfiguration()
            try other.applyEnvironment(["METRICS_ADDRESS": "nope"])
        } catch let error as ConfigurationError {
            #expect(error.description.hasPrefix("environment variable METRICS_ADDRESS (for metrics.address): "))
        }
    }

    @Test func theShippedConfigurationsServeMetricsWhereComposeAndTheDocsSay() throws {
        let local = try PipelineConfiguration.load(
            file: repositoryRoot.appendingPathComponent("pipelines/default.yaml").path, environment: [:])
        #expect(local.metrics?.host == "127.0.0.1" && local.metrics?.port == 9464)
        let compose = try PipelineConfiguration.load(
            file: repositoryRoot.appendingPathComponent("pipelines/compose.yaml").path, environment: [:])
        #expect(compose.metrics?.host == "0.0.0.0" && compose.metrics?.port == 9464)
    }

    // MARK: Readiness

    @Test func theStateMachineSaysWhetherThisMemberConsumes() {
        let settings = IngestStateMachine.Settings(flushInterval: .seconds(1), maxPendingRows: 10)
        let t0 = ContinuousClock.now
        var machine = IngestStateMachine(settings: settings, now: t0)
        #expect(machine.readiness == .noPartitions)
        let partition = SourcePartition(topic: "t", partition: 0)
        machine.assigned([partition: 5, SourcePartition(topic: "t", partition: 1): nil])
        #expect(machine.readiness == .consuming(partitions: 2))
        machine.consumed(partition, next: 7, records: 2, deadLetters: 0)
        let flush = machine.tick(now: t0 + .seconds(1), pendingRows: 1)
        #expect(flush.contains { if case .flush = $0 { true } else { false } })
        _ = machine.flushCompleted(
            .failed(cause: "connection refused", storeUnreachable: true), now: t0 + .seconds(2), pendingRows: 1)
        #expect(machine.readiness == .storeUnreachable)
        #expect(machine.tick(now: t0 + .seconds(4), pendingRows: 1).contains(.probeStore))
        _ = machine.probeCompleted(reachable: true, now: t0 + .seconds(4))
        #expect(machine.readiness == .consuming(partitions: 2))
        _ = machine.revoking(Set([partition, SourcePartition(topic: "t", partition: 1)]), pendingRows: 0)
        // The recovery flush is in flight: letting go waits for it.
        _ = machine.flushCompleted(.committed, now: t0 + .seconds(5), pendingRows: 0)
        if case .release = machine.revoking(
            Set([partition, SourcePartition(topic: "t", partition: 1)]), pendingRows: 0)
        {
            #expect(machine.readiness == .noPartitions)
        } else {
            Issue.record("the partitions were not let go")
        }
    }

    @Test func readinessNamesWhatIsMissing() {
        let now = ContinuousClock.now
        let stall = Duration.seconds(60)
        func report(_ state: IngestStateMachine.Readiness, age: Duration = .zero, cause: String? = nil)
            -> IngestReadinessReport
        {
            IngestReadinessReport(state: state, storeCause: cause, at: now - age)
        }
        func check(_ phase: IngestPipeline.Phase, _ report: IngestReadinessReport?) -> Readiness {
            IngestPipeline.readiness(phase: phase, report: report, now: now, stallAfter: stall)
        }
        #expect(check(.consuming, report(.consuming(partitions: 3))) == .ready("consuming 3 partitions"))
        #expect(check(.consuming, report(.consuming(partitions: 1))) == .ready("consuming 1 partition"))
        #expect(check(.starting, nil).description.hasPrefix("not ready: starting"))
        #expect(check(.stopping, report(.consuming(partitions: 3))).description.hasPrefix("not ready: stopping"))
        #expect(check(.stopped, nil).description.hasPrefix("not ready: stopped"))
        #expect(check(.consuming, nil) == .notReady("waiting for the consumer group to assign partitions"))
        #expect(check(.consuming, report(.noPartitions)).description.contains("no partitions assigned"))
        #expect(
            check(.consuming, report(.storeUnreachable, cause: "connection refused"))
                == .notReady("PostgreSQL is unreachable: connection refused"))
        let stalled = check(.consuming, report(.consuming(partitions: 3), age: .seconds(61)))
        #expect(stalled == .notReady("the Kafka poll loop has not run for 61 s"))
        #expect(check(.consuming, report(.consuming(partitions: 3), age: .seconds(59))).isReady)
    }

    // MARK: Lag

    /// Kafka's definition (kafka-consumer-groups.sh): log end offset minus committed offset.
    @Test(arguments: [
        (Int64(100), Int64(0), Int64?(40), Int64(60)),  // 60 records after the stored offset
        (100, 0, 100, 0),  // caught up
        (100, 20, nil, 80),  // nothing stored: everything retained
        (100, 50, 10, 50),  // stored offset older than the log start: what remains
        (100, 0, 120, 0),  // a stale high watermark never gives a negative lag
    ])
    func lagIsTheHighWatermarkMinusTheStoredOffset(high: Int64, low: Int64, stored: Int64?, lag: Int64) {
        #expect(ConsumerLag.records(high: high, low: low, stored: stored) == lag)
    }

    // MARK: What the handles write

    @Test func everyMetricIsWrittenWithItsNameTypeAndLabels() throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetrics.factory(registry: registry)
        let metrics = PipelineMetrics(factory: factory)
        metrics.consumed(topic: "llm.requests", records: 10, deadLetters: 3)
        metrics.consumed(topic: "llm.requests", records: 5, deadLetters: 0)
        metrics.consumed(topic: "otlp_spans", records: 2, deadLetters: 2)
        metrics.flushed(outcome: "committed", duration: .milliseconds(30))
        metrics.flushed(outcome: "committed", duration: .seconds(20))
        metrics.flushed(outcome: "failed", duration: .seconds(31))
        let partition = SourcePartition(topic: "llm.requests", partition: 3)
        metrics.lag(partition, records: 42)
        metrics.lag(SourcePartition(topic: "llm.requests", partition: 4), records: 7)
        let alerts = AlertMetrics(factory: factory)
        alerts.delivered(receiver: "oncall")
        alerts.delivered(receiver: "oncall")
        alerts.failed(receiver: "oncall", kind: "retry")
        let scorer = ScorerMetrics(factory: factory)
        scorer.queueDepth(12)
        scorer.shed(4)
        scorer.shed()

        let text = registry.emitToString()
        let samples = PrometheusText.samples(text)
        #expect(samples[#"driftline_records_consumed_total{topic="llm.requests"}"#] == 15)
        #expect(samples[#"driftline_records_decoded_total{topic="llm.requests"}"#] == 12)
        #expect(samples[#"driftline_records_dead_lettered_total{topic="llm.requests"}"#] == 3)
        #expect(samples[#"driftline_records_consumed_total{topic="otlp_spans"}"#] == 2)
        #expect(samples[#"driftline_records_dead_lettered_total{topic="otlp_spans"}"#] == 2)
        #expect(samples[#"driftline_kafka_consumer_lag_records{topic="llm.requests",partition="3"}"#] == 42)
        #expect(samples[#"driftline_flush_duration_seconds_count{outcome="committed"}"#] == 2)
        #expect(samples[#"driftline_flush_duration_seconds_bucket{outcome="committed",le="0.05"}"#] == 1)
        #expect(samples[#"driftline_flush_duration_seconds_bucket{outcome="committed",le="30.0"}"#] == 2)
        #expect(samples[#"driftline_flush_duration_seconds_bucket{outcome="failed",le="30.0"}"#] == 0)
        #expect(samples[#"driftline_flush_duration_seconds_bucket{outcome="failed",le="60.0"}"#] == 1)
        let sum = try #require(samples[#"driftline_flush_duration_seconds_sum{outcome="committed"}"#])
        #expect(abs(sum - 20.03) < 1e-9)
        #expect(samples[#"driftline_alert_deliveries_total{receiver="oncall"}"#] == 2)
        #expect(samples[#"driftline_alert_delivery_failures_total{receiver="oncall",kind="retry"}"#] == 1)
        #expect(samples["driftline_scorer_queue_depth"] == 12)
        #expect(samples["driftline_scorer_shed_samples_total"] == 5)
        #expect(text.contains("# TYPE driftline_flush_duration_seconds histogram"))
        #expect(text.contains("# TYPE driftline_kafka_consumer_lag_records gauge"))
        #expect(text.contains("# TYPE driftline_records_consumed_total counter"))

        // A partition that moved to another member is no longer reported here.
        metrics.forgetLag(of: [partition])
        let after = PrometheusText.samples(registry.emitToString())
        #expect(after[#"driftline_kafka_consumer_lag_records{topic="llm.requests",partition="3"}"#] == nil)
        #expect(after[#"driftline_kafka_consumer_lag_records{topic="llm.requests",partition="4"}"#] == 7)
    }

    /// Every name the docs list is one the code defines, and the other way round.
    @Test func operationsDocsListEveryMetric() throws {
        let docs = try String(
            contentsOf: repositoryRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let names = [
            MetricNames.recordsConsumed, MetricNames.recordsDecoded, MetricNames.recordsDeadLettered,
            MetricNames.consumerLag, MetricNames.flushDuration, MetricNames.rowsWritten, MetricNames.alertDeliveries,
            MetricNames.alertDeliveryFailures, MetricNames.scorerQueueDepth, MetricNames.scorerShedSamples,
        ]
        for name in names { #expect(docs.contains("`\(name)`"), "docs/operations.md does not list \(name)") }
        // The rows of the metrics table: `| `name` | type | labels | what |`.
        let documented = Set(
            docs.split(separator: "\n").compactMap { $0.firstMatch(of: #/^\| `(driftline_[a-z_]+)` \|/#) }.map {
                String($0.1)
            })
        #expect(documented.count == names.count)
        #expect(documented.subtracting(names).isEmpty, "documented but not defined: \(documented.subtracting(names))")
    }
}

/// Prometheus' text exposition format read back: `name{labels}` → value, for the tests.
enum PrometheusText {
    static func samples(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            result[String(line[..<space])] = value
        }
        return result
    }
}
