import DriftlineAlerts
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import Testing

/// `driftline alerts test` and `driftline alerts status` as an operator runs them.
@Suite("alerts test and status commands")
struct AlertsCommandTests {
    static func config(database: String, receiverURL: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dl-alerts-\(UUID().uuidString).yaml")
        try """
        kafka: {brokers: "127.0.0.1:9092", group_id: g, topics: [{name: t, format: native_json}]}
        postgres: {url: "\(database)"}
        alerts:
          receivers:
            - {name: oncall, url: "\(receiverURL)", secret: "env:ALERTS_TEST_SECRET", timeout_seconds: 2}
        """.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test func aTestNotificationReachesTheReceiverSignedOrTheFailureIsNamed() async throws {
        let secret = "s3cret-\(UUID().uuidString.prefix(6))"
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0, secret: Array(secret.utf8))) { sink in
            let config = try Self.config(database: "postgres://x@127.0.0.1:1/x", receiverURL: sink.url)
            defer { try? FileManager.default.removeItem(atPath: config) }
            let run = try DriftlineProcess(
                ["alerts", "test", "oncall", "--config", config], environment: ["ALERTS_TEST_SECRET": secret])
            let exit = try #require(await run.waitForExit(within: .seconds(30)))
            #expect(exit.status == 0, "\(run.output)")
            #expect(run.output.contains("oncall: delivered (signed"))
            #expect(!run.output.contains(secret))
            #expect(sink.acceptedCount == 1)

            // A wrong secret: the sink refuses it, and the command says so in one line.
            let refused = try DriftlineProcess(
                ["alerts", "test", "oncall", "--config", config], environment: ["ALERTS_TEST_SECRET": "wrong"])
            let refusedExit = try #require(await refused.waitForExit(within: .seconds(30)))
            #expect(refusedExit.status != 0)
            #expect(refused.errorLine?.contains("oncall at \(sink.url)") == true, "\(refused.output)")
            #expect(refused.errorLine?.contains("401") == true, "\(refused.output)")

            let unknown = try DriftlineProcess(
                ["alerts", "test", "pager", "--config", config], environment: ["ALERTS_TEST_SECRET": secret])
            let unknownExit = try #require(await unknown.waitForExit(within: .seconds(30)))
            #expect(unknownExit.status == 78)
            #expect(unknown.errorLine?.contains("no receiver named pager; configured: oncall") == true)
        }
    }

    @Test func statusShowsFiringAlertsHistoryAndTheOutbox() async throws {
        try await withTestClient { client, database in
            let logger = Logger(label: "test")
            try await Migrator().migrate(client: client, logger: logger)
            let engine = AlertEngine(
                routes: [
                    AlertRoute(
                        receiver: WebhookReceiver(name: "oncall", url: "http://127.0.0.1:9/"),
                        grouping: NotificationGroups.Settings(groupWait: .zero))
                ],
                externalURL: "http://x")
            let condition = AlertCondition(
                rule: "chat-ttft:page-1h",
                labels: ["alertname": "chat-ttft", "severity": "page", "model": "gpt-4o"],
                annotations: ["summary": "burning fast"], isActive: true)
            _ = try await PostgresAlertStore(client: client, logger: logger).step(
                engine, evaluations: [.init(rule: "chat-ttft:page-1h", conditions: [condition])], at: Date())
            let config = try Self.config(database: database.url, receiverURL: "http://127.0.0.1:9/")
            defer { try? FileManager.default.removeItem(atPath: config) }
            let run = try DriftlineProcess(["alerts", "status", "--config", config])
            let exit = try #require(await run.waitForExit(within: .seconds(30)))
            #expect(exit.status == 0, "\(run.output)")
            #expect(run.output.contains("firing") && run.output.contains("chat-ttft:page-1h"))
            #expect(run.output.contains("burning fast"))
            #expect(run.output.contains("latest changes"))
            #expect(run.output.contains("outbox") && run.output.contains("oncall"))
        }
    }
}
