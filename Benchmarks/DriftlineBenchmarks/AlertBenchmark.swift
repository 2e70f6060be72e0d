import DriftlineAlerts
import DriftlineDemo
import DriftlineKafka
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// What alert evaluation costs (issue "SLO burn-rate alerts"): 30 days of one-minute windows for
/// 50 groupings (models) in `dl_windows` and `dl_threshold_counts`, then one evaluation of a
/// latency SLO grouped by model (four burn-rate tiers: seven lookback windows up to 3 days,
/// two counters each), an availability SLO, and a p99 threshold rule, each timed over repeated
/// runs against PostgreSQL.
///
///     .build/release/DriftlineBenchmarks --alerts [--groupings 50] [--days 30]
enum AlertBenchmark {
    static func evaluationCost(groupings: Int, days: Int) async throws {
        try await BenchmarkDatabase.withMigrated { client, logger in
            let end = (Int64(Date().timeIntervalSince1970) / 60) * 60
            let start = end - Int64(days) * 86_400
            var histogram = ExponentialHistogram()
            for value in stride(from: 200.0, through: 3_000, by: 37) { histogram.record(value) }
            let literal = histogram.postgresLiteral
            let seeded = ContinuousClock.now
            try await client.query("TRUNCATE dl_windows, dl_threshold_counts", logger: logger)
            // One row per minute and model; errors and slow requests vary with the minute.
            try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO dl_windows (window_start, window_seconds, model, provider, app, route, tenant,
                            user_id, team, environment, model_version, labels, requests, errors, late_events,
                            input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
                            ttft_ms, tpot_ms, latency_ms, input_tokens_dist, output_tokens_dist)
                        SELECT to_timestamp(t), 60, 'model-' || m, 'p', 'chat', '', '', '', '', 'prod', '', '{}',
                               100, (t / 60 + m) % 3, 0, 1000, 300, 0, 0, 0, h.v, h.v, h.v, h.v, h.v
                        FROM (SELECT '\(literal)'::dl_histogram AS v) h,
                             generate_series(\(start), \(end - 60), 60) t, generate_series(1, \(groupings)) m
                        """), logger: logger)
            try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO dl_threshold_counts (window_start, window_seconds, model, provider, app, route,
                            tenant, user_id, team, environment, model_version, labels, metric, threshold_ms,
                            measured, at_or_below)
                        SELECT to_timestamp(t), 60, 'model-' || m, 'p', 'chat', '', '', '', '', 'prod', '', '{}',
                               'ttft', 1500, 100, 100 - (t / 60 + m) % 2
                        FROM generate_series(\(start), \(end - 60), 60) t, generate_series(1, \(groupings)) m
                        """), logger: logger)
            try await client.query("ANALYZE dl_windows", logger: logger)
            try await client.query("ANALYZE dl_threshold_counts", logger: logger)
            let rows = Int64(days) * 1_440 * Int64(groupings)
            print(
                "alert evaluation: \(rows) one-minute windows (\(days) days × \(groupings) models) in each table, "
                    + "seeded in \(String(format: "%.1f", (ContinuousClock.now - seeded).seconds)) s")

            let store = PostgresAlertStore(client: client, logger: logger)
            let loader = AlertRuleLoader()
            let outcome = loader.load(files: [
                (
                    "latency.yaml",
                    """
                    kind: slo
                    name: ttft
                    objective: 99
                    filters: {app: chat}
                    group_by: [model]
                    sli: {latency: {metric: ttft, threshold_ms: 1500}}
                    """
                ),
                (
                    "availability.yaml",
                    """
                    kind: slo
                    name: availability
                    objective: 99.5
                    group_by: [model]
                    sli: {availability: {}}
                    """
                ),
                (
                    "p99.yaml",
                    """
                    kind: threshold
                    name: p99
                    metric: p99(ttft_ms)
                    window: 5m
                    op: ">"
                    threshold: 2000
                    group_by: [model]
                    """
                ),
            ])
            guard outcome.errors.isEmpty else { throw BenchmarkFailure(message: "\(outcome.errors)") }
            let at = Date(timeIntervalSince1970: TimeInterval(end))
            for rule in outcome.rules {
                var timings: [Double] = []
                var series = 0
                var burning = 0
                for _ in 0..<5 {
                    let started = ContinuousClock.now
                    let conditions = try await rule.evaluate(source: store, at: at)
                    timings.append((ContinuousClock.now - started).seconds * 1_000)
                    series = conditions.count
                    burning = conditions.filter(\.isActive).count
                }
                timings.sort()
                print(
                    String(
                        format: "  %@ (%@): median %.0f ms, best %.0f ms per evaluation; %d series, %d active",
                        rule.name, String(describing: type(of: rule)), timings[timings.count / 2], timings[0], series,
                        burning))
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Time to page (issue "SLO burn-rate alerts"): `driftline run` with the default alert settings
/// (evaluation every 30 s, group wait 10 s, flush every 2 s) and the shipped `alerts/` rules,
/// paging a signed webhook sink in this process. Half an hour of healthy history is produced
/// first (event times spread over the last 30 minutes), then live traffic; after 20 s the
/// generator's latency incident starts on gpt-4o (TTFT × 5). Printed: the time from the first
/// incident record produced to the first page for gpt-4o arriving at the sink.
///
///     swift build -c release --product DriftlineBenchmarks --product driftline
///     .build/release/DriftlineBenchmarks --alerts-page [--rate 500]
enum PageLatencyBenchmark {
    static func run(rate: Int) async throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("driftline").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            print("page benchmark: build the driftline product next to the benchmark first")
            return
        }
        let script = repositoryRoot.appendingPathComponent("scripts/test-postgres.sh").path
        let directory = "/tmp/driftline-page-bench-\(UUID().uuidString.prefix(8))"
        guard system("/bin/bash \(script) start \(directory) > \(directory).out") == 0 else {
            throw BenchmarkFailure(message: "test-postgres.sh start failed")
        }
        defer {
            _ = system("/bin/bash \(script) stop \(directory) > /dev/null 2>&1")
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: "\(directory).out")
        }
        let port = try String(contentsOfFile: "\(directory)/port", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = UUID().uuidString
        let sink = try await WebhookSink.start(WebhookSinkConfiguration(port: 0, secret: Array(secret.utf8)))
        let cluster = try MockKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("llm.requests", partitions: 16)
        let config = "\(directory)-pipeline.yaml"
        try """
        kafka:
          brokers: "\(cluster.bootstrapServers)"
          group_id: page-bench
          topics: [{name: llm.requests, format: native_json}]
        postgres:
          url: "postgres://postgres@127.0.0.1:\(port)/postgres"
        alerts:
          rules: "\(repositoryRoot.appendingPathComponent("alerts").path)"
          receivers:
            - {name: oncall, url: "\(sink.url)", secret: "env:PAGE_BENCH_SECRET", match: {severity: page}}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "--config", config, "--log-level", "warning"]
        process.environment = ProcessInfo.processInfo.environment.merging(["PAGE_BENCH_SECRET": secret]) { $1 }
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        var producerConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producerConfiguration.properties = ["linger.ms": "5"]
        let producer = try KafkaProducer(configuration: producerConfiguration)
        var generator = TrafficGenerator(seed: 9)
        var record: [UInt8] = []
        var sent = 0
        func send(at micros: Int64) throws {
            record.removeAll(keepingCapacity: true)
            _ = generator.next(startMicroseconds: micros, into: &record)
            try producer.send(topic: "llm.requests", value: record, partition: Int32(sent % 16))
            sent += 1
        }
        // Half an hour of history at 30 requests/s, up to now.
        let now = Int64(Date().timeIntervalSince1970 * 1e6)
        let history = 54_000
        for index in 0..<history { try send(at: now - 1_800_000_000 + Int64(index) * 1_800_000_000 / Int64(history)) }
        try producer.flush(timeout: .seconds(30))
        print("page benchmark: \(history) records of history, then \(rate) records/s live; shipped alerts/ rules")

        let start = ContinuousClock.now
        var incidentStarted: ContinuousClock.Instant?
        let firstPage = Mutex<(ContinuousClock.Instant, String)?>(nil)
        let pages = Task {
            for await event in sink.events {
                guard case .accepted(let notification) = event,
                    let alert = notification.payload.alerts.first(where: {
                        $0.status == "firing" && $0.labels["model"] == "gpt-4o"
                    })
                else { continue }
                firstPage.withLock {
                    $0 = (.now, "\(alert.labels["alertname"] ?? "") \(alert.labels["burn_tier"] ?? "")")
                }
                return
            }
        }
        while firstPage.withLock({ $0 }) == nil, ContinuousClock.now - start < .seconds(200) {
            let due = Int((ContinuousClock.now - start).seconds * Double(rate))
            while sent - history < due {
                if incidentStarted == nil, ContinuousClock.now - start >= .seconds(20) {
                    generator.incident = TrafficGenerator.Incident(model: "gpt-4o", factor: 5)
                    incidentStarted = .now
                }
                try send(at: Int64(Date().timeIntervalSince1970 * 1e6))
            }
            try producer.flush(timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(20))
        }
        pages.cancel()
        await sink.stop()
        guard let incidentStarted, let (at, what) = firstPage.withLock({ $0 }) else {
            print("  no page for gpt-4o within 200 s")
            return
        }
        print(
            String(
                format: "  first incident record produced → page (%@) at the sink: %.1f s", what,
                (at - incidentStarted).seconds))
    }
}
