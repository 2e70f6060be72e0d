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
        /// Not stored (yet); the reason names what would store it.
        case unavailable(String)
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
        default:
            return .unavailable(
                "\(name) is not stored yet: faithfulness samples are counted once the scorer runs")
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
        let good = try await sums(
            Self.column(for: query.sli.good, pairedWith: query.sli.total), query: query)
        let total = try await sums(
            Self.column(for: query.sli.total, pairedWith: query.sli.good), query: query)
        var counts: [AlertGroup: EventCounts] = [:]
        for (group, value) in total { counts[group] = EventCounts(good: good[group] ?? 0, total: value) }
        for (group, value) in good where counts[group] == nil { counts[group] = EventCounts(good: value, total: 0) }
        return counts
    }

    private func sums(_ column: CounterColumn, query: EventCountQuery) async throws -> [AlertGroup: Int64] {
        var sql = AlertQuerySQL(start: query.start, end: query.end, filter: query.filter)
        let statement: PostgresQuery
        switch column {
        case .windows(let expression):
            statement = sql.query(
                selecting: ["coalesce(sum(\(expression)), 0)::int8"], from: "dl_windows", groupBy: query.groupBy)
        case .threshold(let metric, let milliseconds, let name):
            sql.addCondition("metric = \(sql.bind(metric))")
            sql.addCondition("threshold_ms = \(sql.bind(milliseconds))::float8")
            statement = sql.query(
                selecting: ["coalesce(sum(\(name)), 0)::int8"], from: "dl_threshold_counts", groupBy: query.groupBy)
        case .unavailable(let reason):
            throw AlertStoreError(reason)
        }
        var result: [AlertGroup: Int64] = [:]
        for try await (group, value) in try await client.query(statement, logger: logger).decode((String, Int64).self) {
            result[try AlertQuerySQL.group(group)] = value
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
