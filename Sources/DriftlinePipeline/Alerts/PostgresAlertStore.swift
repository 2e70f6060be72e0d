public import DriftlineAlerts
import DriftlineCore
import DriftlineStore
import Foundation
public import Logging
public import PostgresNIO

/// The alert engine's PostgreSQL side: the event counts and metrics rules read, the engine state
/// with the history and outbox written in one transaction per step, and the outbox as the
/// sender sees it.
public struct PostgresAlertStore: AlertDataSource, CostAlertSource, DriftAlertSource, OutboxStore {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: Event counts (SLOs)

    /// Where one counter of an SLI is read.
    enum CounterColumn: Equatable {
        /// An expression over `dl_windows`.
        case windows(String)
        /// A column of `dl_threshold_counts` for one metric and threshold.
        case threshold(metric: String, milliseconds: Double, column: String)
        /// An expression over `dl_quality_samples` rows (one row per scored sample, keyed by
        /// request id, so a replay never counts a sample twice).
        case samples(String)
        /// Not stored (yet); the reason names what would store it.
        case unavailable(String)

        var expression: String? {
            switch self {
            case .windows(let expression): expression
            case .threshold(_, _, let column): column
            case .samples(let expression): expression
            case .unavailable: nil
            }
        }

        /// Whether both are read from the same rows (one query can sum both).
        func sameRows(as other: CounterColumn) -> Bool {
            switch (self, other) {
            case (.windows, .windows), (.samples, .samples): true
            case (.threshold(let a, let x, _), .threshold(let b, let y, _)): a == b && x == y
            default: false
            }
        }
    }

    /// `total`'s source depends on `good`: a latency SLI's `{metric}_measured` is read from the
    /// same `dl_threshold_counts` rows as its good events, so windows from before the threshold
    /// was counted are left out of both instead of counting as all bad.
    static func column(for counter: CounterReference, pairedWith other: CounterReference?) -> CounterColumn {
        let name = counter.counter.name
        if let threshold = counter.thresholdMilliseconds, name.hasSuffix("_at_or_below_ms") {
            return .threshold(
                metric: String(name.dropLast("_at_or_below_ms".count)), milliseconds: threshold, column: "at_or_below")
        }
        if name.hasSuffix("_measured"), let other, let threshold = other.thresholdMilliseconds,
            other.counter.name == name.dropLast("_measured".count) + "_at_or_below_ms"
        {
            return .threshold(
                metric: String(name.dropLast("_measured".count)), milliseconds: threshold, column: "measured")
        }
        switch name {
        case StoredCounter.requests.name: return .windows("requests")
        case StoredCounter.errors.name: return .windows("errors")
        case StoredCounter.okRequests.name: return .windows("requests - errors")
        case StoredCounter.ttftMeasured.name: return .windows("dl_hist_count(ttft_ms)")
        case StoredCounter.tpotMeasured.name: return .windows("dl_hist_count(tpot_ms)")
        case StoredCounter.e2eMeasured.name: return .windows("dl_hist_count(latency_ms)")
        // Unweighted: every scored sample counts once, whatever its stratum (docs/quality.md).
        case StoredCounter.samplesScored.name: return .samples("(verdict <> 'error')::int4")
        case StoredCounter.samplesFaithful.name: return .samples("(verdict = 'faithful')::int4")
        default:
            return .unavailable("\(name) is not a stored counter")
        }
    }

    /// Counters of `rules` this store cannot read, one line each, for start-up checks.
    public static func unavailableCounters(in rules: [any AlertRule]) -> [String] {
        var problems: [String] = []
        for case let slo as SLOSpec in rules {
            for (counter, other) in [(slo.sli.good, slo.sli.total), (slo.sli.total, slo.sli.good)] {
                if case .unavailable(let reason) = column(for: counter, pairedWith: other) {
                    problems.append("\(slo.sourceFile): sli: \(reason)")
                }
            }
        }
        return problems
    }

    public func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts] {
        try await eventCounts(query, windows: [query.window])[query.window] ?? [:]
    }

    /// All windows in one pass over the longest: each window's sums are `FILTER`ed aggregates,
    /// and good and total come from one query when they are read from the same rows.
    public func eventCounts(_ query: EventCountQuery, windows: [Duration]) async throws
        -> [Duration: [AlertGroup: EventCounts]]
    {
        let good = Self.column(for: query.sli.good, pairedWith: query.sli.total)
        let total = Self.column(for: query.sli.total, pairedWith: query.sli.good)
        let sums: [[Duration: [AlertGroup: Int64]]]
        if good.sameRows(as: total) {
            sums = try await self.sums([good, total], query: query, windows: windows)
        } else {
            sums = [
                try await self.sums([good], query: query, windows: windows)[0],
                try await self.sums([total], query: query, windows: windows)[0],
            ]
        }
        var result: [Duration: [AlertGroup: EventCounts]] = [:]
        for window in windows {
            let goodSums = sums[0][window] ?? [:]
            let totalSums = sums[1][window] ?? [:]
            var counts: [AlertGroup: EventCounts] = [:]
            for group in Set(goodSums.keys).union(totalSums.keys) {
                counts[group] = EventCounts(good: goodSums[group] ?? 0, total: totalSums[group] ?? 0)
            }
            result[window] = counts
        }
        return result
    }

    /// Per column, per window, per group: the column's sum over the windows starting in
    /// `[end − window, end)`. `columns` must read the same rows.
    private func sums(_ columns: [CounterColumn], query: EventCountQuery, windows: [Duration]) async throws
        -> [[Duration: [AlertGroup: Int64]]]
    {
        guard let longest = windows.max(), let first = columns.first else { return columns.map { _ in [:] } }
        var sql = AlertQuerySQL(
            start: query.end.addingTimeInterval(-longest.timeInterval), end: query.end, filter: query.filter)
        let table: String
        switch first {
        case .windows:
            table = "dl_windows"
        case .samples:
            table = "dl_quality_samples"
        case .threshold(let metric, let milliseconds, _):
            table = "dl_threshold_counts"
            sql.addCondition("metric = \(sql.bind(metric))")
            sql.addCondition("threshold_ms = \(sql.bind(milliseconds))::float8")
        case .unavailable(let reason):
            throw AlertStoreError(reason)
        }
        var selections: [String] = []
        for column in columns {
            guard let expression = column.expression else { throw AlertStoreError("\(column)") }
            let parts = windows.map { window in
                let since = query.end.addingTimeInterval(-window.timeInterval).timeIntervalSince1970
                return "coalesce(sum(\(expression)) FILTER (WHERE window_start >= to_timestamp("
                    + "\(sql.bind(since))::float8)), 0)::int8"
            }
            selections.append("ARRAY[\(parts.joined(separator: ", "))]::int8[]")
        }
        let statement = sql.query(
            selecting: ["ARRAY[\(selections.joined(separator: ", "))]::text"], from: table, groupBy: query.groupBy)
        var result = columns.map { _ in [Duration: [AlertGroup: Int64]]() }
        for try await (groupJSON, text) in try await client.query(statement, logger: logger).decode(
            (String, String).self)
        {
            let group = try AlertQuerySQL.group(groupJSON)
            // `{{1,2,…},{…}}`: one row of sums per column, one sum per window.
            let values = text.split { "{},".contains($0) }.compactMap { Int64($0) }
            guard values.count == columns.count * windows.count else {
                throw AlertStoreError(
                    "unexpected sums \(text) for \(columns.count) counters × \(windows.count) windows")
            }
            for (c, _) in columns.enumerated() {
                for (w, window) in windows.enumerated() {
                    result[c][window, default: [:]][group] = values[c * windows.count + w]
                }
            }
        }
        return result
    }

    // MARK: Metrics (threshold rules)

    public func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double] {
        let sql = AlertQuerySQL(
            start: query.end.addingTimeInterval(-query.window.timeInterval), end: query.end, filter: query.filter)
        let selection: String
        var table = "dl_windows"
        switch query.metric {
        case .quantile(let q, let histogram):
            guard AlertMetric.histograms.contains(histogram) else { throw AlertStoreError("no histogram \(histogram)") }
            // The quantile is a literal from the registry's parse (a double), not rule text.
            selection = "dl_hist_quantile(dl_hist_merge_agg(\(histogram)), \(q)::float8)"
        case .mean(let histogram):
            guard AlertMetric.histograms.contains(histogram) else { throw AlertStoreError("no histogram \(histogram)") }
            selection = "dl_hist_mean(dl_hist_merge_agg(\(histogram)))"
        case .errorRatio:
            selection = "sum(errors)::float8 / nullif(sum(requests), 0)"
        case .requestsPerSecond:
            selection = "sum(requests)::float8 / \(query.window.timeInterval)::float8"
        case .costUSDPerHour:
            table = "dl_cost_windows"
            selection = "sum(cost_usd)::float8 / \(query.window.timeInterval / 3_600)::float8"
        }
        var result: [AlertGroup: Double] = [:]
        let statement = sql.query(selecting: [selection], from: table, groupBy: query.groupBy)
        for try await (group, value) in try await client.query(statement, logger: logger).decode((String, Double?).self)
        {
            guard let value, value.isFinite else { continue }
            result[try AlertQuerySQL.group(group)] = value
        }
        return result
    }
}

/// A read the alert store cannot answer, in one line.
public struct AlertStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
