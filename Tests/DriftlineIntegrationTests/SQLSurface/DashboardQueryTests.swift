import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// Every query of every dashboard in dashboards/json — panels, template variables and
/// annotations — with Grafana's macros and variables expanded, run as a member of
/// `driftline_reader` against fifteen days stored through the pipeline, for the shape each
/// panel type reads: a time column and numbers for time series, bucket series for heatmaps,
/// named columns for tables, `time` and `text` for annotations.
@Suite("Dashboard queries", .serialized)
struct DashboardQueryTests {
    static let numeric: Set<PostgresDataType> = [.int2, .int4, .int8, .float4, .float8, .numeric]
    static let times: Set<PostgresDataType> = [.timestamptz, .timestamp]

    struct Selection {
        var name: String
        var variables: [String: String]
        /// Whether every panel must return rows (All does; a narrow selection may leave a panel empty).
        var everyPanelHasRows: Bool
    }

    static let selections = [
        Selection(
            name: "All",
            variables: ["model": "'*'", "app": "'*'", "tenant": "'*'", "environment": "'*'"], everyPanelHasRows: true),
        Selection(
            name: "one value each",
            variables: ["model": "'gpt-4o'", "app": "'chat'", "tenant": "'globex'", "environment": "'prod'"],
            everyPanelHasRows: false),
        Selection(
            name: "several values",
            variables: [
                "model": "'gpt-4o','llama-3-70b'", "app": "'chat','summarise'", "tenant": "'acme','globex'",
                "environment": "'prod','staging'",
            ], everyPanelHasRows: false),
    ]

    @Test func everyDashboardQueryReturnsWhatItsPanelReadsForAReader() async throws {
        let queries = try GrafanaDashboards.queries()
        #expect(queries.count >= 60, "the dashboards hold \(queries.count) queries")
        let seed = SQLSurfaceSeed(now: Int64(Date().timeIntervalSince1970))
        try await withTestClient { client, database in
            try await seed.store(client: client, database: database)
            // The range ends when the user looks, after the seeding: the alerts and scores it
            // caused are stamped with the wall clock, minutes after the traffic's `now` under load.
            let to = Int64(Date().timeIntervalSince1970) + 60
            try await SQLSurfaceSeed.withReaderClient(database, admin: client) { reader in
                // "Last 15 days" and "last hour", as a user picks them.
                for (from, interval) in [(seed.now - 15 * 86_400, 3_600), (seed.now - 3_600, 60)] {
                    for selection in Self.selections {
                        for query in queries {
                            let sql = GrafanaDashboards.expand(
                                query.sql, from: from, to: to, intervalSeconds: interval,
                                variables: selection.variables)
                            if let leftover = sql.firstMatch(of: #/\$[A-Za-z_{]/#) {
                                Issue.record(
                                    "\(query.name): unexpanded '\(sql[leftover.range.lowerBound...].prefix(30))'")
                                continue
                            }
                            // Over fifteen days with everything selected, every query has something to show.
                            let wantsRows = selection.everyPanelHasRows && from < seed.now - 3_600
                            await Self.check(
                                query, sql: sql, on: reader, rowsRequired: wantsRows,
                                context: "\(selection.name), from \(from), interval \(interval)s")
                        }
                    }
                }
            }
        }
    }

    static func check(
        _ query: GrafanaQuery, sql: String, on client: PostgresClient, rowsRequired: Bool, context: String
    ) async {
        var rows = 0
        var columns: [(name: String, type: PostgresDataType)] = []
        var numbers = 0
        do {
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) {
                if rows == 0 { columns = row.map { ($0.columnName, $0.dataType) } }
                rows += 1
                for cell in row where numeric.contains(cell.dataType) && cell.bytes != nil { numbers += 1 }
            }
        } catch {
            Issue.record("\(query.name) fails (\(context)): \(String(reflecting: error))\n\(sql)")
            return
        }
        if rowsRequired {
            #expect(rows > 0, "\(query.name) returned no rows (\(context))\n\(sql)")
        }
        guard rows > 0 else { return }
        let names = columns.map(\.name)
        #expect(!names.contains("?column?"), "\(query.name): an unnamed column in \(names)")
        #expect(Set(names).count == names.count, "\(query.name): two columns share a name in \(names)")
        switch query.kind {
        case .variable:
            #expect(columns.count == 1 || Set(names) == ["__text", "__value"], "\(query.name): \(names)")
        case .annotation:
            #expect(names.contains("time") && names.contains("text"), "\(query.name): \(names)")
            if let time = columns.first(where: { $0.name == "time" }) {
                #expect(times.contains(time.type) || numeric.contains(time.type), "\(query.name): time is \(time.type)")
            }
        case .panel:
            switch query.panelType {
            case "timeseries", "heatmap":
                #expect(names.first == "time", "\(query.name): a time series starts with `time`, got \(names)")
                if let time = columns.first {
                    #expect(times.contains(time.type) || numeric.contains(time.type), "\(query.name): \(time.type)")
                }
                let values = columns.dropFirst().filter { numeric.contains($0.type) }
                #expect(!values.isEmpty, "\(query.name): no numeric column in \(names)")
                #expect(
                    columns.dropFirst().allSatisfy { numeric.contains($0.type) || $0.name == "metric" },
                    "\(query.name): a time series holds `metric` and numbers, got \(columns)")
                if query.panelType == "heatmap" {
                    // Buckets as series named by their upper bound, Prometheus `le` style.
                    #expect(names == ["time", "metric", names.last ?? ""] && names.count == 3, "\(query.name)")
                }
                if rowsRequired { #expect(numbers > 0, "\(query.name): every value is NULL (\(context))") }
            case "stat", "bargauge", "gauge":
                #expect(columns.contains { numeric.contains($0.type) }, "\(query.name): no number in \(columns)")
                if rowsRequired { #expect(numbers > 0, "\(query.name): every value is NULL (\(context))") }
            default:
                #expect(!columns.isEmpty, "\(query.name): no columns")
            }
        }
    }
}
