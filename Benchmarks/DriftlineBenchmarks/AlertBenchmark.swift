import DriftlineAlerts
import DriftlineDemo
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import Foundation
import Logging
import PostgresNIO

/// What alert evaluation costs (issue "SLO burn-rate alerts"): 30 days of one-minute windows for
/// 50 groupings (models) in `dl_windows` and `dl_threshold_counts`, then one evaluation of a
/// latency SLO grouped by model (four burn-rate tiers: seven lookback windows up to 3 days,
/// two counters each), an availability SLO, and a p99 threshold rule, each timed over repeated
/// runs against PostgreSQL.
///
///     .build/release/DriftlineBenchmarks --alerts [--groupings 50] [--days 30]
enum AlertBenchmark {
    static func evaluationCost(groupings: Int, days: Int) async throws {
        let logger = {
            var logger = Logger(label: "driftline.bench")
            logger.logLevel = .warning
            return logger
        }()
        let (url, local) = try LocalPostgres.databaseURL(environment: ProcessInfo.processInfo.environment)
        defer { local?.stop() }
        try await withPostgresClient(url: url, logger: logger) { client in
            try await Migrator().migrate(client: client, logger: logger)
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
                               100, (t / 60 + m) % 3, 0, 1000, 300, 0, 0, 0,
                               '\(literal)'::dl_histogram, '\(literal)'::dl_histogram, '\(literal)'::dl_histogram,
                               '\(literal)'::dl_histogram, '\(literal)'::dl_histogram
                        FROM generate_series(\(start), \(end - 60), 60) t, generate_series(1, \(groupings)) m
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
