import DriftlineAlerts
import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// The whole alert path in one process: request logs through Kafka, exact threshold counts at
/// ingest, the burn-rate evaluation, the outbox, and a signed page arriving at a webhook sink.
@Suite("Alerts end to end", .serialized)
struct AlertPipelineTests {
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

    @Test func aLatencyIncidentPagesTheSinkWithASignedNotification() async throws {
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("dl-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: rules) }
        try Self.rule.write(to: rules.appendingPathComponent("ttft.yaml"), atomically: true, encoding: .utf8)
        let secret = "test-secret-\(UUID().uuidString.prefix(8))"
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0, secret: Array(secret.utf8))) { sink in
            try await withTestClient { client, database in
                let cluster = try MockKafkaCluster(brokers: 1)
                defer { cluster.close() }
                try cluster.createTopic("llm.requests", partitions: 4)
                var configuration = testConfiguration(
                    brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "alerts")
                var alerts = PipelineConfiguration.AlertSettings()
                alerts.rules = rules.path
                alerts.rulesConfigured = true
                alerts.everySeconds = 1
                var receiver = PipelineConfiguration.ReceiverSettings(name: "oncall", url: sink.url, secret: secret)
                receiver.groupWaitSeconds = 0
                // One group per model: with Alertmanager's grouping, a group already sent (o3-mini pages as
                // soon as its first windows are stored) takes a newly firing alert only after group_interval.
                receiver.groupBy = ["alertname", "model"]
                // The SLO's two tiers share a group: when the load of a full test run makes the 6 h tier fire one
                // evaluation before the 1 h tier, the group's next notification waits group_interval (5 min by
                // default), past this test's deadline. Any tier paging for gpt-4o is what the test looks for.
                receiver.groupIntervalSeconds = 1
                receiver.match = ["severity": "page"]
                alerts.receivers = [receiver]
                configuration.alerts = alerts
                configuration.drift = .off
                let store = AggregateStore(client: client, logger: TestLogging.logger())
                let pipeline = IngestPipeline(configuration: configuration, store: store, logger: TestLogging.logger())
                var truth = GroundTruth()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pipeline.run() }
                    // Ten minutes of traffic up to now; gpt-4o's TTFT is five times slower in the last five.
                    let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                    try produceTraffic(
                        brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 6_000,
                        startMicroseconds: now - 600_000_000, minutes: 10, incidentFrom: 3_000, truth: &truth)
                    let page =
                        try? await Deadline.run(.seconds(120)) { () -> ReceivedNotification? in
                            for await event in sink.events {
                                if case .accepted(let received) = event,
                                    received.payload.alerts.contains(where: {
                                        $0.status == "firing" && $0.labels["model"] == "gpt-4o"
                                            && $0.labels["burn_tier"]?.hasPrefix("page-") == true
                                    })
                                {
                                    return received
                                }
                            }
                            return nil
                        } ?? nil
                    if page == nil {
                        TestLogging.printRecent("no page for gpt-4o reached the sink")
                        for table in ["dl_threshold_counts", "dl_alert_history", "dl_alert_outbox", "dl_windows"] {
                            let rows = try await client.query(
                                PostgresQuery(unsafeSQL: "SELECT count(*)::int8 FROM \(table)"))
                            for try await count in rows.decode(Int64.self) { print("\(table): \(count) rows") }
                        }
                        print("committed records: \(pipeline.statistics.committedRecords)")
                    }
                    let received = try #require(page, "no page for gpt-4o reached the sink")
                    #expect(received.signatureVerified)
                    #expect(received.payload.receiver == "oncall" && received.payload.version == "4")
                    #expect(received.payload.alerts.allSatisfy { $0.labels["severity"] == "page" })
                    #expect(!received.payload.alerts.contains { $0.labels["model"] == "gpt-4o-mini" })
                    try await waitUntil("all records stored", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                        try await storedRecordCount(client, group: "alerts") == 6_000
                    }
                    pipeline.stop()
                    try await group.waitForAll()
                }

                // Good events are counted exactly at ingest: every TTFT at or below 1.5 s, per model.
                let rows = try await client.query(
                    """
                    SELECT model, sum(at_or_below)::int8, sum(measured)::int8 FROM dl_threshold_counts
                    WHERE metric = 'ttft' AND threshold_ms = 1500 GROUP BY model
                    """)
                var stored: [String: [Int64]] = [:]
                for try await (model, good, measured) in rows.decode((String, Int64, Int64).self) {
                    stored[model] = [good, measured]
                }
                for (model, expected) in truth.models {
                    #expect(
                        stored[model]
                            == [Int64(expected.ttft.filter { $0 <= 1_500 }.count), Int64(expected.ttft.count)],
                        "\(model)")
                }
                let history = try await client.query(
                    "SELECT count(*)::int8 FROM dl_alert_history WHERE status = 'firing' AND labels->>'model' = 'gpt-4o'"
                )
                for try await count in history.decode(Int64.self) { #expect(count >= 1) }
            }
        }
    }
}
