public import DriftlineStore
import Foundation
import Logging
import PostgresNIO

/// Reads what `driftline report` shows from PostgreSQL over windows starting in `[from, to)`:
/// p99 TTFT per model and bucket from the merged histograms (`dl_hist_quantile` over
/// `dl_hist_merge_agg`: buckets merge windows exactly), requests and errors, spend per team
/// (`dl_spend`), the latest PSI per feature and grouping, the online detectors' events and the
/// alert history.
public struct ReportQuery: Sendable {
    public var from: Int64
    public var to: Int64
    public var rangeLabel: String
    /// The lines of the TTFT chart: the models with the most requests.
    public var maximumModels = 10
    public var maximumTeams = 20
    /// Rows of each drift and alert table read at most (the page shows `HTMLReport.tableLimit`
    /// and says how many more there were, up to this).
    public var maximumRows = 1_000

    public init(from: Int64, to: Int64, rangeLabel: String) {
        self.from = from
        self.to = to
        self.rangeLabel = rangeLabel
    }

    /// The range ending at `now` that `--since` names: `15m`, `1h`, `24h`, `7d` (any whole
    /// number of m, h or d). Nil for anything else.
    public static func seconds(since text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0, value <= 3_650 * 24 * 60
        else { return nil }
        switch unit {
        case "m": return value * 60
        case "h": return value * 3_600
        case "d": return value * 86_400
        default: return nil
        }
    }

    /// About 120 points over the range, in whole windows (a bucket finer than a window would
    /// leave buckets empty; one of a window and a half would put one or two in each).
    public static func bucketSeconds(range: Int64, windowSeconds: Int64) -> Int64 {
        let steps: [Int64] = [10, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400]
        let wanted = steps.first { $0 * 120 >= range } ?? 86_400
        guard windowSeconds > 0 else { return wanted }
        return (wanted + windowSeconds - 1) / windowSeconds * windowSeconds
    }

    /// Reads the report's data; a query PostgreSQL refuses (most often: the migrations were
    /// never applied to this database) is a `ReportQueryError` with the server's message.
    public func run(store: AggregateStore, generatedAt: Int64) async throws -> ReportData {
        do {
            return try await read(store: store, generatedAt: generatedAt)
        } catch let error as PSQLError {
            throw ReportQueryError(serverMessage: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }

    private func read(store: AggregateStore, generatedAt: Int64) async throws -> ReportData {
        let client = store.client
        let logger = store.logger
        let windowSeconds = try await scalar(
            client, logger,
            "SELECT coalesce(max(window_seconds), 0)::int8 FROM dl_windows WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)",
            range)
        let bucket = Self.bucketSeconds(range: to - from, windowSeconds: windowSeconds)
        var data = ReportData(
            from: from, to: to, bucketSeconds: bucket, rangeLabel: rangeLabel, generatedAt: generatedAt)

        var binds = range
        binds.append(bucket)
        binds.append(Int64(maximumModels))
        let ttft = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH ranged AS (
                        SELECT * FROM dl_windows WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
                    ), top AS (
                        SELECT model, sum(requests) AS requests FROM ranged GROUP BY model
                        ORDER BY sum(requests) DESC, model LIMIT $4
                    )
                    SELECT r.model, (floor(extract(epoch FROM r.window_start) / $3) * $3)::int8 AS bucket,
                           dl_hist_quantile(dl_hist_merge_agg(r.ttft_ms), 0.99)
                    FROM ranged r JOIN top t ON t.model = r.model
                    GROUP BY r.model, t.requests, bucket
                    ORDER BY t.requests DESC, r.model, bucket
                    """, binds: binds), logger: logger)
        for try await (model, time, p99) in ttft.decode((String, Int64, Double?).self) {
            if data.ttftP99.last?.name != model { data.ttftP99.append(ReportSeries(name: model, points: [])) }
            if let p99 { data.ttftP99[data.ttftP99.count - 1].points.append(.init(time: time, value: p99)) }
        }
        let models = try await scalar(
            client, logger,
            "SELECT count(DISTINCT model)::int8 FROM dl_windows WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)",
            range)
        data.modelsNotShown = max(Int(models) - data.ttftP99.count, 0)

        var trafficBinds = range
        trafficBinds.append(bucket)
        let traffic = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT (floor(extract(epoch FROM window_start) / $3) * $3)::int8 AS bucket,
                           sum(requests)::int8, sum(errors)::int8
                    FROM dl_windows WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
                    GROUP BY bucket ORDER BY bucket
                    """, binds: trafficBinds), logger: logger)
        var requests = ReportSeries(name: "requests", points: [])
        var errors = ReportSeries(name: "errors", points: [])
        for try await (time, count, failed) in traffic.decode((Int64, Int64, Int64).self) {
            requests.points.append(.init(time: time, value: Double(count)))
            errors.points.append(.init(time: time, value: Double(failed)))
        }
        data.traffic = requests.points.isEmpty ? [] : [requests, errors]

        let spend = try await store.spend(by: "team", from: from, to: to)
        data.costByTeam = spend.prefix(maximumTeams).map {
            ReportCost(
                team: $0.value, costUSD: $0.costUSD.flatMap(Double.init), requests: $0.requests,
                unpricedRequests: $0.unpricedRequests)
        }
        data.teamsNotShown = max(spend.count - maximumTeams, 0)

        data.psi = try await latestPSI(client, logger)
        data.driftEvents = try await driftEvents(client, logger)
        data.alerts = try await alerts(client, logger)
        return data
    }

    private var range: PostgresBindings {
        var binds = PostgresBindings()
        binds.append(from)
        binds.append(to)
        return binds
    }

    private var rangeAndLimit: PostgresBindings {
        var binds = range
        binds.append(Int64(maximumRows))
        return binds
    }

    /// The newest evaluation of each feature and grouping whose current period ends in the
    /// range, most drifted first.
    private func latestPSI(_ client: PostgresClient, _ logger: Logger) async throws -> [ReportPSI] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT feature, grouping_text, psi, severity, cs, ce, reference_count, current_count FROM (
                        SELECT DISTINCT ON (feature, grouping) feature,
                               (SELECT coalesce(string_agg(key || '=' || value, ', ' ORDER BY key), '')
                                FROM jsonb_each_text(grouping)) AS grouping_text,
                               psi, severity, extract(epoch FROM current_start)::int8 AS cs,
                               extract(epoch FROM current_end)::int8 AS ce, reference_count, current_count
                        FROM dl_drift_results
                        WHERE current_end > to_timestamp($1) AND current_end <= to_timestamp($2)
                        ORDER BY feature, grouping, current_end DESC, evaluated_at DESC
                    ) latest
                    ORDER BY psi DESC, feature, grouping_text
                    LIMIT $3
                    """, binds: rangeAndLimit), logger: logger)
        var result: [ReportPSI] = []
        for try await row in rows.decode((String, String, Double, String, Int64, Int64, Int64, Int64).self) {
            result.append(
                ReportPSI(
                    feature: row.0, grouping: row.1, psi: row.2, severity: row.3, currentStart: row.4,
                    currentEnd: row.5, referenceCount: row.6, currentCount: row.7))
        }
        return result
    }

    private func driftEvents(_ client: PostgresClient, _ logger: Logger) async throws -> [ReportDriftEvent] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT (SELECT coalesce(string_agg(key || '=' || value, ', ' ORDER BY key), '')
                            FROM jsonb_each_text(stream)),
                           signal, detector, extract(epoch FROM first_detected)::int8, detections, mean_before,
                           mean_after
                    FROM dl_drift_events
                    WHERE last_detected >= to_timestamp($1) AND first_detected < to_timestamp($2)
                    ORDER BY first_detected DESC, signal, detector
                    LIMIT $3
                    """, binds: rangeAndLimit), logger: logger)
        var result: [ReportDriftEvent] = []
        for try await row in rows.decode((String, String, String, Int64, Int64, Double?, Double?).self) {
            result.append(
                ReportDriftEvent(
                    stream: row.0, signal: row.1, detector: row.2, firstDetected: row.3, detections: row.4,
                    meanBefore: row.5, meanAfter: row.6))
        }
        return result
    }

    private func alerts(_ client: PostgresClient, _ logger: Logger) async throws -> [ReportAlert] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT extract(epoch FROM at)::int8, status, rule, severity,
                           (SELECT coalesce(string_agg(key || '=' || value, ', ' ORDER BY key), '')
                            FROM jsonb_each_text(labels - 'alertname' - 'severity')),
                           coalesce(annotations ->> 'summary', '')
                    FROM dl_alert_history
                    WHERE at >= to_timestamp($1) AND at < to_timestamp($2)
                    ORDER BY at DESC, id DESC
                    LIMIT $3
                    """, binds: rangeAndLimit), logger: logger)
        var result: [ReportAlert] = []
        for try await row in rows.decode((Int64, String, String, String, String, String).self) {
            result.append(
                ReportAlert(at: row.0, status: row.1, rule: row.2, severity: row.3, labels: row.4, summary: row.5))
        }
        return result
    }

    private func scalar(_ client: PostgresClient, _ logger: Logger, _ sql: String, _ binds: PostgresBindings)
        async throws -> Int64
    {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }
}

/// A report query PostgreSQL refused.
public struct ReportQueryError: Error, CustomStringConvertible {
    public var serverMessage: String
    public var description: String {
        "reading the report from PostgreSQL failed: \(serverMessage); "
            + "are Driftline's migrations applied to this database (driftline migrate)?"
    }
}
