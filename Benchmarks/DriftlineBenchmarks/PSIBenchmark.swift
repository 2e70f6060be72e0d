import DriftlineCore
import DriftlineDemo
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import Foundation
import Logging
import PostgresNIO

/// PSI from PostgreSQL (issue "Drift"): 30 days of one-minute windows for 20 groupings (models) in
/// `dl_windows`, each window's TTFT histogram drawn from a log-normal whose median shifts in the
/// last day; then one evaluation of the last day against the 29 before it, per model, with each
/// binning — the histograms merged in PostgreSQL (`dl_hist_merge_agg`), the PSI in Swift.
/// Then the storage lifecycle rolls the reference days up into hourly rows (its throughput is
/// printed) and the same evaluation runs again on them. `--rolled-only` skips the evaluation
/// over the one-minute rows.
///
///     .build/release/DriftlineBenchmarks --psi [--groupings 20] [--days 30] [--rolled-only]
enum PSIBenchmark {
    static func run(groupings: Int, days: Int, minuteRowsToo: Bool) async throws {
        try await BenchmarkDatabase.withMigrated { client, logger in
            let end = (Int64(Date().timeIntervalSince1970) / 86_400) * 86_400
            let start = end - Int64(days) * 86_400
            // A few distinct histograms (before and after the shift), reused across windows.
            var random = SplitMix64(seed: 3)
            func histogram(median: Double) -> String {
                var histogram = ExponentialHistogram()
                for _ in 0..<60 { histogram.record(median * exp(0.4 * random.normal())) }
                return histogram.postgresLiteral
            }
            let before = (0..<8).map { _ in histogram(median: 400) }
            let after = (0..<8).map { _ in histogram(median: 520) }
            let seeded = ContinuousClock.now
            try await client.query("TRUNCATE dl_windows", logger: logger)
            let values =
                (before.enumerated().map { "(\($0.offset), false, '\($0.element)'::dl_histogram)" }
                + after.enumerated().map { "(\($0.offset), true, '\($0.element)'::dl_histogram)" })
                .joined(separator: ", ")
            try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO dl_windows (window_start, window_seconds, model, provider, app, route, tenant,
                            user_id, team, environment, model_version, labels, requests, errors, late_events,
                            input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
                            ttft_ms, tpot_ms, latency_ms, input_tokens_dist, output_tokens_dist)
                        SELECT to_timestamp(t), 60, 'model-' || m, '', '', '', '', '', '', '', '', '{}',
                               60, 0, 0, 0, 0, 0, 0, 0, h.v, h.v, h.v, h.v, h.v
                        FROM generate_series(\(start), \(end - 60), 60) t, generate_series(1, \(groupings)) m,
                             (VALUES \(values)) AS h(i, shifted, v)
                        WHERE h.i = (t / 60 + m) % 8 AND h.shifted = (t >= \(end - 86_400) AND m % 2 = 0)
                        """), logger: logger)
            try await client.query("ANALYZE dl_windows", logger: logger)
            print(
                "PSI: \(Int64(days) * 1_440 * Int64(groupings)) one-minute windows (\(days) days × \(groupings) "
                    + "models), seeded in \(String(format: "%.1f", (ContinuousClock.now - seeded).seconds)) s; "
                    + "half the models' TTFT shifts by 30 % in the last day")
            let store = AggregateStore(client: client, logger: logger)
            let reference = start..<(end - 86_400)
            let current = (end - 86_400)..<end
            if minuteRowsToo {
                print("  on one-minute rows:")
                try await evaluate(store: store, reference: reference, current: current)
            }
            // Roll up every hour before the current day: a run "now" = the current day's start
            // plus the rollup age.
            let policy = LifecyclePolicy(rollupAfter: 7_200, batchHours: 24, retention: [:])
            let rolling = ContinuousClock.now
            let report = try await StorageLifecycle(policy: policy, rollupTables: [.windows]).run(
                client: client, now: current.lowerBound + 7_200, logger: logger)
            let seconds = (ContinuousClock.now - rolling).seconds
            let rolled = report.rollups.reduce(Int64(0)) { $0 + $1.subHourRows }
            let hourly = report.rollups.reduce(Int64(0)) { $0 + $1.hourlyRows }
            try await client.query("VACUUM ANALYZE dl_windows", logger: logger)
            print(
                String(
                    format: "  rollup: %lld one-minute rows into %lld hourly rows in %.1f s (%.0f minute rows/s)",
                    rolled, hourly, seconds, Double(rolled) / seconds))
            print("  on hourly rows for the \(days - 1) reference days, one-minute rows for the current day:")
            try await evaluate(store: store, reference: reference, current: current)
        }
    }

    private static func evaluate(store: AggregateStore, reference: Range<Int64>, current: Range<Int64>) async throws {
        for binning in [PSIBinning.quantile, .sturges] {
            let evaluator = PSIEvaluator(features: ["ttft"], groupBy: [.model], binning: binning)
            var timings: [Double] = []
            var results: [DriftResult] = []
            for _ in 0..<5 {
                let started = ContinuousClock.now
                results = try await evaluator.evaluate(store: store, reference: reference, current: current)
                timings.append((ContinuousClock.now - started).seconds * 1_000)
            }
            timings.sort()
            let major = results.filter { $0.severity == "major" }.count
            print(
                String(
                    format: "    %@ binning: median %.0f ms, best %.0f ms for %d groupings (%d major)",
                    binning.rawValue, timings[timings.count / 2], timings[0], results.count, major))
        }
    }
}
