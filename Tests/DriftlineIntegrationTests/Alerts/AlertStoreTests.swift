import DriftlineAlerts
import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import DriftlinePipeline

/// The alert engine's PostgreSQL side: what rules read equals a brute-force count over the
/// events, and steps keep state, history and outbox together across restarts and members.
@Suite("Alert store")
struct AlertStoreTests {
    static let hour: Int64 = 1_764_072_000
    static let logger = Logger(label: "test")

    /// An hour of traffic over two apps and two models, with TTFT around the 1.5 s threshold.
    static func events() -> [LLMEvent] {
        var random = SplitMix64(seed: 7)
        return (0..<6_000).map { index in
            let second = Int64(index) * 3_600 / 6_000
            let start = EventTime(microsecondsSinceEpoch: (hour + second) * 1_000_000)
            let model = index % 3 == 0 ? "b" : "a"
            let app = index % 5 == 0 ? "batch" : "chat"
            var event = LLMEvent(
                start: start, end: EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + 4_000_000),
                model: model, dimensions: EventDimensions(app: app),
                status: random.uniform() < (model == "b" ? 0.05 : 0.01) ? .error : .ok)
            if index % 10 != 0 {  // some requests are not streamed: no TTFT
                // Whole milliseconds, some exactly at the threshold: at-or-below must count them.
                let ttft = index % 97 == 0 ? 1_500 : (900 * exp(0.5 * random.normal())).rounded()
                event.firstToken = EventTime(microsecondsSinceEpoch: start.microsecondsSinceEpoch + Int64(ttft) * 1000)
            }
            return event
        }
    }

    static func store(_ client: PostgresClient, events: [LLMEvent]) async throws {
        let aggregates = AggregateStore(client: client, logger: logger)
        try await Migrator().migrate(client: client, logger: logger)
        let grouping = WindowGrouping(windowSeconds: 60, dimensions: [.model, .app], labels: [])
        var windows = WindowAggregator(dimensions: grouping)
        var thresholds = ThresholdCounter(
            dimensions: grouping,
            thresholds: [.init(metric: .ttft, milliseconds: 1_500), .init(metric: .e2e, milliseconds: 3_000)])
        let partition = SourcePartition(topic: "t", partition: 0)
        for event in events {
            windows.add(EnrichedEvent(event), from: partition)
            thresholds.add(EnrichedEvent(event), from: partition)
        }
        let batch = FlushBatch(consumerGroup: "g", offsets: [], rows: [windows.take(), thresholds.take()])
        #expect(try await aggregates.write(batch) == .committed)
    }

    @Test func sliCountsAndMetricsEqualABruteForceCountOverTheEvents() async throws {
        try await withTestClient { client, _ in
            let events = Self.events()
            try await Self.store(client, events: events)
            let source = PostgresAlertStore(client: client, logger: Self.logger)
            let end = Date(timeIntervalSince1970: TimeInterval(Self.hour + 3_600))
            let chat = DimensionFilter([.app: ["chat"]])
            let latest = events.filter { $0.start.microsecondsSinceEpoch >= (Self.hour + 1_800) * 1_000_000 }

            for (window, selected) in [(Duration.seconds(3_600), events), (.seconds(1_800), latest)] {
                let inChat = selected.filter { $0.dimensions.app == "chat" }
                let latency = try await source.eventCounts(
                    EventCountQuery(
                        sli: SLIDefinition(
                            good: CounterReference(.ttftAtOrBelow, thresholdMilliseconds: 1_500),
                            total: CounterReference(.ttftMeasured)),
                        filter: chat, groupBy: [.model], window: window, end: end))
                let availability = try await source.eventCounts(
                    EventCountQuery(
                        sli: SLIDefinition(good: CounterReference(.okRequests), total: CounterReference(.requests)),
                        filter: DimensionFilter(), groupBy: [], window: window, end: end))
                for model in ["a", "b"] {
                    let ttfts = inChat.filter { $0.model == model }.compactMap(\.ttftMilliseconds)
                    #expect(
                        latency[AlertGroup([.model: model])]
                            == EventCounts(good: Int64(ttfts.filter { $0 <= 1_500 }.count), total: Int64(ttfts.count)),
                        "\(model) over \(window)")
                }
                #expect(
                    availability[.all]
                        == EventCounts(
                            good: Int64(selected.filter { $0.status == .ok }.count), total: Int64(selected.count)))

                let errorRatio = try await source.metricValues(
                    MetricQuery(metric: .errorRatio, filter: chat, groupBy: [.model], window: window, end: end))
                let p99 = try await source.metricValues(
                    MetricQuery(
                        metric: .quantile(0.99, histogram: "ttft_ms"), filter: chat, groupBy: [], window: window,
                        end: end))
                for model in ["a", "b"] {
                    let modelEvents = inChat.filter { $0.model == model }
                    let expected = Double(modelEvents.filter { $0.status == .error }.count) / Double(modelEvents.count)
                    #expect(abs((errorRatio[AlertGroup([.model: model])] ?? .nan) - expected) < 1e-12)
                }
                let exact = try #require(
                    GroundTruth.exactQuantile(inChat.compactMap(\.ttftMilliseconds), 0.99))
                #expect(abs((p99[.all] ?? .nan) - exact) / exact <= 0.01, "p99 \(p99[.all] ?? .nan) vs \(exact)")
            }

            // A threshold no rule declared was never counted: no events rather than all bad.
            let undeclared = try await source.eventCounts(
                EventCountQuery(
                    sli: SLIDefinition(
                        good: CounterReference(.ttftAtOrBelow, thresholdMilliseconds: 999),
                        total: CounterReference(.ttftMeasured)),
                    filter: DimensionFilter(), groupBy: [], window: .seconds(3_600), end: end))
            #expect(undeclared.isEmpty)
        }
    }

    @Test func budgetAndDriftRulesReadTheirTables() async throws {
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            try await client.query(
                """
                INSERT INTO dl_costs (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                    environment, model_version, requests, unpriced_requests, input_tokens, output_tokens,
                    cached_input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens,
                    unpriced_input_tokens, unpriced_output_tokens, cost_usd)
                VALUES (now() - interval '5 minutes', 60, 'new-model', 'acme', '', '', '', '', '', '', '', 7, 7,
                        10, 10, 0, 0, 0, 0, 10, 10, NULL)
                """)
            for (minutes, psi) in [(0, 0.3), (5, 0.25), (10, 0.05)] {
                try await client.query(
                    """
                    INSERT INTO dl_drift_results (feature, grouping, binning, reference_start, reference_end,
                        current_start, current_end, psi, severity, reference_count, current_count, bins)
                    VALUES ('ttft', '{"model": "a"}', 'quantile', now() - interval '2 days', now() - interval '1 day',
                            now() - interval '1 hour' - \(minutes) * interval '1 minute',
                            now() - \(minutes) * interval '1 minute', \(psi), 'major', 100, 100, '[]')
                    """)
            }
            for (index, minutes) in [(1, 2), (2, 30)] {
                try await client.query(
                    """
                    INSERT INTO dl_drift_detections (consumer_group, topic, partition, stream, signal, detector,
                        update_index, event_time)
                    VALUES ('g', 't', 0, '{"model": "a"}', 'ttft', 'adwin', \(Int64(index)),
                            now() - \(minutes) * interval '1 minute')
                    """)
            }
            // A second grouping in the latest evaluation: dl_drift_movers ranks them by PSI.
            try await client.query(
                """
                INSERT INTO dl_drift_results (feature, grouping, binning, reference_start, reference_end,
                    current_start, current_end, psi, severity, reference_count, current_count, bins)
                SELECT feature, '{"model": "b"}', binning, reference_start, reference_end, current_start, current_end,
                       0.9, 'major', 100, 100, '[]'
                FROM dl_drift_results WHERE psi = 0.3
                """)
            let movers = try await client.query(
                "SELECT grouping->>'model', rank::int8 FROM dl_drift_movers WHERE feature = 'ttft' ORDER BY rank"
            ).decode((String, Int64).self).reduce(into: []) { $0.append("\($1.0) \($1.1)") }
            #expect(movers == ["b 1", "a 2"])
            let store = PostgresAlertStore(client: client, logger: Self.logger)
            let costs = try await store.costAlerts()
            #expect(
                costs == [CostAlertRow(condition: "unpriced_model", subject: "acme/new-model", value: 7, threshold: 0)])
            #expect(
                try await store.recentPSI(feature: "ttft", count: 2)
                    == ["{\"model\": \"a\"}": [0.3, 0.25], "{\"model\": \"b\"}": [0.9]])
            #expect(
                try await store.detections(signal: "ttft", since: Date().addingTimeInterval(-600))
                    == ["{\"model\": \"a\"}": 1])
        }
    }

    static func condition(active: Bool, model: String = "a") -> AlertCondition {
        AlertCondition(
            rule: "chat-ttft:page-1h",
            labels: ["alertname": "chat-ttft", "severity": "page", "burn_tier": "page-1h", "model": model],
            annotations: ["summary": "burning"], isActive: active, value: active ? 20 : 0.5)
    }

    static let engine = AlertEngine(
        routes: [
            AlertRoute(
                receiver: WebhookReceiver(name: "oncall", url: "http://127.0.0.1:9/"),
                grouping: NotificationGroups.Settings(
                    groupBy: ["alertname"], groupWait: .zero, groupInterval: .zero, repeatInterval: .seconds(3_600)))
        ], externalURL: "http://driftline.test")

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int64 {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) {
            return value
        }
        return -1
    }

    @Test func aRestartNeitherRepagesNorForgetsAFiringAlert() async throws {
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let start = Date(timeIntervalSince1970: TimeInterval(Self.hour))
            let first = PostgresAlertStore(client: client, logger: Self.logger)
            let (fired, _) = try await first.step(
                Self.engine,
                evaluations: [.init(rule: "chat-ttft:page-1h", conditions: [Self.condition(active: true)])],
                at: start)
            #expect(fired.changes.map(\.status) == [.firing])
            #expect(fired.outgoing.count == 1)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alerts WHERE state = 'firing'") == 1)

            // A new process: the state comes from PostgreSQL, so the same verdict notifies nothing.
            let restarted = PostgresAlertStore(client: client, logger: Self.logger)
            for minute in 1...3 {
                let (again, _) = try await restarted.step(
                    Self.engine,
                    evaluations: [.init(rule: "chat-ttft:page-1h", conditions: [Self.condition(active: true)])],
                    at: start.addingTimeInterval(TimeInterval(60 * minute)))
                #expect(again.changes.isEmpty && again.outgoing.isEmpty)
            }
            // A failed evaluation (nil) leaves the alert firing instead of resolving it.
            let (failed, _) = try await restarted.step(
                Self.engine, evaluations: [.init(rule: "chat-ttft:page-1h", conditions: nil)],
                at: start.addingTimeInterval(240))
            #expect(failed.changes.isEmpty)
            let (resolved, waiting) = try await restarted.step(
                Self.engine,
                evaluations: [.init(rule: "chat-ttft:page-1h", conditions: [Self.condition(active: false)])],
                at: start.addingTimeInterval(300))
            #expect(resolved.changes.map(\.status) == [.resolved])
            #expect(resolved.outgoing.map(\.payload.status) == ["resolved"])
            #expect(!waiting)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alert_outbox") == 2)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alert_history") == 2)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alerts") == 0)

            // A rule whose file was removed resolves its alerts instead of firing forever.
            _ = try await restarted.step(
                Self.engine,
                evaluations: [.init(rule: "chat-ttft:page-1h", conditions: [Self.condition(active: true)])],
                at: start.addingTimeInterval(360))
            let (gone, _) = try await restarted.step(
                Self.engine, evaluations: [.init(rule: "other", conditions: [])], knownRules: ["other"],
                at: start.addingTimeInterval(420))
            #expect(gone.changes.map(\.status) == [.resolved])
        }
    }

    @Test func membersEvaluatingAtOnceNotifyAChangeOnce() async throws {
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let time = Date(timeIntervalSince1970: TimeInterval(Self.hour))
            let members = (0..<6).map { _ in PostgresAlertStore(client: client, logger: Self.logger) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for member in members {
                    group.addTask {
                        _ = try await member.step(
                            Self.engine,
                            evaluations: [
                                .init(
                                    rule: "chat-ttft:page-1h",
                                    conditions: [
                                        Self.condition(active: true), Self.condition(active: true, model: "b"),
                                    ])
                            ], at: time)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alert_history") == 2)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alert_outbox") == 1)
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alerts WHERE state = 'firing'") == 2)
        }
    }

    /// A transport that answers from a script per call and records the bodies it was given.
    final class ScriptedTransport: WebhookTransport {
        let script: Mutex<[Int]>
        let delivered = Mutex<[[UInt8]]>([])
        init(_ statuses: [Int]) { script = Mutex(statuses) }

        func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration)
            async throws -> WebhookResponse
        {
            let status = script.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            if status == 200 { delivered.withLock { $0.append(body) } }
            return WebhookResponse(status: status, retryAfter: nil)
        }
    }

    @Test func theOutboxInPostgresDeliversEverythingInOrderAfterAnOutage() async throws {
        try await withTestClient { client, _ in
            try await Migrator().migrate(client: client, logger: Self.logger)
            let store = PostgresAlertStore(client: client, logger: Self.logger)
            let start = Date(timeIntervalSince1970: TimeInterval(Self.hour))
            // Five changes, each its own webhook call (group interval 0).
            for step in 0..<5 {
                _ = try await store.step(
                    Self.engine,
                    evaluations: [
                        .init(rule: "chat-ttft:page-1h", conditions: [Self.condition(active: step % 2 == 0)])
                    ], at: start.addingTimeInterval(TimeInterval(60 * step)))
            }
            #expect(try await Self.count(client, "SELECT count(*) FROM dl_alert_outbox") == 5)
            // Down (503 three times, a refused connection shows the same), then a 400 for one message.
            let transport = ScriptedTransport([503, 503, 503, 200, 400])
            let sender = OutboxSender(
                store: store, transport: transport, receivers: Self.engine.routes.map(\.receiver),
                policy: RetryPolicy(initial: .milliseconds(1), maximum: .milliseconds(5)))
            // Generous: a full suite on 2 cores can stretch each round trip to seconds.
            let deadline = ContinuousClock.now + .seconds(180)
            while try await Self.count(
                client, "SELECT count(*) FROM dl_alert_outbox WHERE delivered_at IS NULL AND rejected_at IS NULL") > 0,
                ContinuousClock.now < deadline
            {
                try await sender.runOnce()
                try await Task.sleep(for: .milliseconds(5))
            }
            let statuses = try await client.query(
                "SELECT CASE WHEN delivered_at IS NOT NULL THEN 'delivered' ELSE 'rejected' END, attempts FROM dl_alert_outbox ORDER BY id"
            ).decode((String, Int32).self).reduce(into: []) { $0.append("\($1.0) \($1.1)") }
            #expect(statuses == ["delivered 4", "rejected 1", "delivered 1", "delivered 1", "delivered 1"])
            let payloads = try transport.delivered.withLock { $0 }.map {
                try JSONDecoder().decode(WebhookPayload.self, from: Data($0))
            }
            // In outbox order: firing, (resolved was refused), firing, resolved, firing.
            #expect(payloads.map(\.status) == ["firing", "firing", "resolved", "firing"])
        }
    }
}
