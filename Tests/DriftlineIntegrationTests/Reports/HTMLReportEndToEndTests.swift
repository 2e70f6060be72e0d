import DriftlineCore
import DriftlineKafka
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// `driftline report` over data the real pipeline stored: Kafka → windows, costs, ADWIN
/// detections and alerts in PostgreSQL, a PSI evaluation, then the page opened in headless
/// Chromium. No console error, every chart laid out, a screenshot and the page kept in
/// `.ci/artifacts/` for people to look at.
@Suite("HTML report end to end", .serialized)
struct HTMLReportEndToEndTests {
    static let rule = """
        kind: slo
        name: ttft
        objective: 99
        group_by: [model]
        sli:
          latency: {metric: ttft, threshold_ms: 1500}
        alerting:
          min_events: 50
        """

    /// A model and a team whose names are markup; a page that ran them would log an error.
    static let hostileModel = "<script>console.error('model name ran')</script>"
    static let hostileTeam = "\"><img src=x onerror=\"console.error('team name ran')\">"
    static let hostileCount: Int64 = 60

    static var artifacts: URL { repositoryRoot.appendingPathComponent(".ci/artifacts") }

    @Test func theReportOfPipelineDataOpensInChromiumWithoutErrors() async throws {
        let chromium = try HeadlessChromium.locate()
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("dl-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rules) }
        try Self.rule.write(to: rules.appendingPathComponent("ttft.yaml"), atomically: true, encoding: .utf8)
        // Beside the rules' folder, not in it: every file there is read as a rule.
        let catalogue = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dl-report-prices-\(UUID().uuidString).yaml")
        try CostEndToEndTests.catalogueYAML.write(to: catalogue, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: catalogue) }

        let now = Int64(Date().timeIntervalSince1970)
        let html: String = try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 4)
            var configuration = testConfiguration(
                brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "report")
            configuration.costs.catalogue = catalogue.path
            var alerts = PipelineConfiguration.AlertSettings()
            alerts.rules = rules.path
            alerts.rulesConfigured = true
            alerts.everySeconds = 1
            configuration.alerts = alerts
            // The online detectors run at ingest; the PSI evaluation is run below, once.
            configuration.drift.psi = nil
            let store = AggregateStore(client: client, logger: TestLogging.logger())
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
            var truth = GroundTruth()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil(
                    "the partitions to be assigned", timeout: .seconds(60), pollingEvery: .milliseconds(200)
                ) {
                    pipeline.statistics.rebalances > 0
                }
                // Twenty minutes of traffic up to now; gpt-4o's TTFT five times slower in the last ten.
                try produceTraffic(
                    brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 8_000,
                    startMicroseconds: (now - 1_200) * 1_000_000, minutes: 20, incidentFrom: 4_000, truth: &truth)
                try Self.produceHostileRequests(brokers: cluster.bootstrapServers, now: now)
                let expected = truth.total + Self.hostileCount
                let stored: Void? = try? await waitUntil(
                    "the pipeline to store every record", timeout: .seconds(120), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "report") == expected
                }
                if stored == nil {
                    let rows = try await client.query(
                        "SELECT coalesce(sum(records), 0)::int8, coalesce(sum(dead_letters), 0)::int8 FROM dl_consumer_offsets"
                    )
                    for try await (records, dead) in rows.decode((Int64, Int64).self) {
                        Issue.record("stored \(records) records and \(dead) dead letters of \(expected)")
                    }
                    let reasons = try await client.query("SELECT reason FROM dl_dead_letters LIMIT 3")
                    for try await reason in reasons.decode(String.self) { Issue.record("dead letter: \(reason)") }
                    pipeline.stop()
                    try await group.waitForAll()
                    return
                }
                try await waitUntil(
                    "an alert for gpt-4o in dl_alert_history", timeout: .seconds(120), pollingEvery: .milliseconds(500)
                ) {
                    let rows = try await client.query(
                        "SELECT count(*)::int8 FROM dl_alert_history WHERE labels->>'model' = 'gpt-4o'")
                    for try await count in rows.decode(Int64.self) { return count > 0 }
                    return false
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            // The scheduled evaluation's computation: the first ten minutes against the last ten.
            let evaluator = PSIEvaluator(features: ["ttft"], groupBy: [.model], binning: .quantile)
            try await store.insert(
                evaluator.evaluate(store: store, reference: (now - 1_200)..<(now - 600), current: (now - 600)..<now))

            // Up to the time of the report, as the command does: alerts came after `now`.
            let end = Int64(Date().timeIntervalSince1970)
            let data = try await ReportQuery(from: end - 3_600, to: end + 1, rangeLabel: "1h").run(
                store: store, generatedAt: end)
            Self.expectMatches(data, truth)
            return HTMLReport.render(data)
        }

        #expect(html.contains("&lt;script&gt;console.error("))
        #expect(!html.contains(Self.hostileModel) && !html.contains("<img"))
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let page = Self.artifacts.appendingPathComponent("report.html")
        try html.write(to: page, atomically: true, encoding: .utf8)

        // The page with the probe: nothing went wrong, and every chart has a size.
        let probed = Self.artifacts.appendingPathComponent("report-probed.html")
        try PageProbe.probed(html).write(to: probed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: probed) }
        let dump = try await chromium.run(["--dump-dom"], page: probed)
        #expect(dump.status == 0, "chromium --dump-dom exited with \(dump.status): \(dump.standardError.suffix(2_000))")
        #expect(PageProbe.attribute("data-probe-loaded", in: dump.standardOutput) == "yes", "the probe did not run")
        #expect(PageProbe.attribute("data-probe-errors", in: dump.standardOutput) == "[]")
        #expect(dump.consoleLines.isEmpty, "console: \(dump.consoleLines)")
        let charts = (PageProbe.attribute("data-probe-charts", in: dump.standardOutput) ?? "").split(separator: " ")
        // p99 TTFT, traffic, cost by team, PSI.
        #expect(charts.count == 4, "charts laid out: \(charts)")
        for chart in charts {
            let size = chart.split(separator: "x").compactMap { Int($0) }
            #expect(size.count == 2 && size[0] > 500 && size[1] > 50, "chart of \(chart) pixels")
        }

        // The same probe on a page that loads an image and runs a script reports both: the
        // check above can fail.
        let broken = Self.artifacts.appendingPathComponent("report-broken.html")
        try PageProbe.probed(
            html.replacingOccurrences(of: "</body>", with: "<img src=\"x.png\"><script>1</script></body>")
        )
        .write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let control = try await chromium.run(["--dump-dom"], page: broken)
        let caught = PageProbe.attribute("data-probe-errors", in: control.standardOutput) ?? ""
        #expect(caught.contains("csp: img-src") && caught.contains("csp: script-src"), "the probe missed: \(caught)")
        #expect(!control.consoleLines.isEmpty)

        let screenshot = Self.artifacts.appendingPathComponent("report.png")
        try? FileManager.default.removeItem(at: screenshot)
        let shot = try await chromium.run(
            ["--screenshot=\(screenshot.path)", "--window-size=1280,2400"], page: page)
        #expect(
            shot.status == 0, "chromium --screenshot exited with \(shot.status): \(shot.standardError.suffix(2_000))")
        #expect(shot.consoleLines.isEmpty, "console: \(shot.consoleLines)")
        let png = try Data(contentsOf: screenshot)
        // PNG signature, then IHDR's width and height (big-endian) at bytes 16…23.
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let width = png.count > 24 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
        let height = png.count > 24 ? png[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
        #expect(width == 1280 && height == 2400, "screenshot of \(width)x\(height)")
        // A blank page of this size compresses to a few kilobytes; charts and tables do not.
        #expect(png.count > 60_000, "screenshot of \(png.count) bytes")
    }

    /// The report's figures against the ground truth the traffic was generated from.
    static func expectMatches(_ data: ReportData, _ truth: GroundTruth) {
        let total = truth.total + hostileCount
        let requests = data.traffic.first { $0.name == "requests" }?.points.reduce(0) { $0 + $1.value } ?? 0
        let errors = data.traffic.first { $0.name == "errors" }?.points.reduce(0) { $0 + $1.value } ?? 0
        #expect(Int64(requests) == total)
        #expect(Int64(errors) == truth.models.values.reduce(0) { $0 + $1.errors })
        let names = Set(data.ttftP99.map(\.name))
        #expect(names == Set(truth.models.keys).union([hostileModel]))
        #expect(data.modelsNotShown == 0)
        for series in data.ttftP99 {
            #expect(series.points.allSatisfy { $0.time >= data.from && $0.time < data.to && $0.value > 0 })
            #expect(zip(series.points, series.points.dropFirst()).allSatisfy { $0.time < $1.time })
        }
        // The incident: gpt-4o's p99 in its last bucket well above its first.
        if let gpt = data.ttftP99.first(where: { $0.name == "gpt-4o" }), let first = gpt.points.first,
            let last = gpt.points.last
        {
            #expect(last.value > 2 * first.value, "gpt-4o p99 from \(first.value) to \(last.value)")
        } else {
            Issue.record("no gpt-4o series")
        }
        #expect(data.costByTeam.reduce(0) { $0 + $1.requests } == total)
        #expect(data.costByTeam.contains { $0.team == hostileTeam && $0.costUSD == nil })
        #expect(data.costByTeam.contains { $0.team == "core" && ($0.costUSD ?? 0) > 0 })
        let gptPSI = data.psi.first { $0.feature == "ttft" && $0.grouping == "model=gpt-4o" }
        #expect(gptPSI?.severity == "major", "gpt-4o TTFT PSI: \(String(describing: gptPSI))")
        #expect(data.driftEvents.contains { $0.stream == "model=gpt-4o" && $0.signal == "ttft" })
        #expect(
            data.alerts.contains { $0.status == "firing" && $0.rule == "ttft" && $0.labels.contains("model=gpt-4o") })
    }

    /// Requests of an unpriced model whose name and team are markup, in the last ten minutes.
    static func produceHostileRequests(brokers: String, now: Int64) throws {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = ["linger.ms": "5"]
        let producer = try KafkaProducer(configuration: configuration)
        let encoder = NativeJSONEncoder()
        for index in 0..<hostileCount {
            let start = (now - 600 + index * 9) * 1_000_000
            let event = LLMEvent(
                requestID: "hostile-\(index)", start: EventTime(microsecondsSinceEpoch: start),
                firstToken: EventTime(microsecondsSinceEpoch: start + 400_000 + index * 10_000),
                end: EventTime(microsecondsSinceEpoch: start + 2_000_000), model: hostileModel, provider: "<b>",
                dimensions: EventDimensions(team: hostileTeam), tokens: TokenCounts(input: 10, output: 20))
            try producer.send(
                topic: "llm.requests", key: Array("hostile-\(index)".utf8), value: encoder.encode(event),
                partition: Int32(index % 4))
        }
        try producer.flush(timeout: .seconds(60))
    }
}
