import DriftlineAlerts
import DriftlineCore
import DriftlineKafka
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// Fifteen days of request logs up to now, stored through the real pipeline (mock Kafka →
/// decoder → analysers → flush), then a PSI evaluation, a budget evaluation, the SLO
/// engine's alerts and the SLO's error budget, so that the cookbook's and the dashboards'
/// time-relative queries (`now() - interval '7 days'`, `$__timeFilter`) find data. The events are kept for
/// brute-force answers.
struct SQLSurfaceSeed {
    static let models: [(model: String, provider: String, ttft: Double, tpot: Double, errorRate: Double)] = [
        ("gpt-4o", "openai", 300, 12, 0.02), ("claude-sonnet-4", "anthropic", 450, 18, 0.05),
        ("llama-3-70b", "vllm", 800, 25, 0.10),
    ]
    static let apps = ["chat", "search", "summarise"]
    static let tenants = ["acme", "globex", "initech"]
    static let teams = ["core", "growth"]
    /// The UTC hour of day with the most traffic.
    static let peakHour: Int64 = 14
    static let catalogueYAML = """
        currency: USD
        prices:
          - {provider: openai, model: gpt-4o, input: 2.5, output: 10, cached_input: 1.25}
          - {provider: anthropic, model_glob: "claude-sonnet-4*", input: 3, output: 15, cached_input: 0.3}
        """
    static let sloRule = """
        kind: slo
        name: ttft
        objective: 99
        group_by: [model]
        sli:
          latency: {metric: ttft, threshold_ms: 1500}
        alerting:
          min_events: 50
        """

    /// The seconds at which the seed was generated: every event is before it.
    var now: Int64
    var events: [LLMEvent]
    /// Tool calls (OTLP spans that are not model calls, for dl_span_counts): one export request
    /// per hour of the last two days.
    var toolCalls: [[LLMEvent]]

    init(now: Int64, seed: UInt64 = 14) {
        self.now = now
        var random = SplitMix64(seed: seed)
        var events: [LLMEvent] = []
        let hourNow = now / 3_600 * 3_600
        for hour in stride(from: hourNow - 15 * 86_400, to: hourNow, by: 3_600) {
            let hourOfDay = (hour % 86_400) / 3_600
            let count = hourOfDay == Self.peakHour ? 40 : 12
            for _ in 0..<count {
                events.append(Self.event(at: hour + Int64(random.next() % 3_590), now: now, random: &random))
            }
        }
        // The current hour up to a minute ago, and a TTFT incident on gpt-4o in the last 20 minutes
        // that pages through the SLO (more than 14.4 × the 1 % budget bad over 1 h and 5 min).
        for _ in 0..<12 where now - 60 > hourNow {
            events.append(
                Self.event(at: hourNow + Int64(random.next() % UInt64(now - 60 - hourNow)), now: now, random: &random))
        }
        for index in 0..<400 {
            var event = Self.event(at: now - 1_200 + Int64(index) * 3, now: now, random: &random, model: 0)
            event.status = .ok
            event.errorType = nil
            let slow = 5_000 + random.uniform() * 2_000
            let first = event.start.advanced(byMicroseconds: Int64(slow * 1_000))
            event.firstToken = first
            event.end = first.advanced(byMicroseconds: Int64(Double(event.tokens.output) * 12_000))
            events.append(event)
        }
        // Responses with their context, for the quality plane (dl_quality_*): every fifth one
        // unsupported for the scorer test double. Set by position, so the random stream (and every
        // other value) is the same as without them.
        events.sort { $0.start < $1.start }
        for index in events.indices where events[index].status == .ok {
            events[index].response = index % 5 == 0 ? "It is UNSUPPORTED." : "It is supported."
            events[index].context = ["It is supported."]
        }
        self.events = events
        toolCalls = stride(from: hourNow - 2 * 86_400, to: hourNow, by: 3_600).map { hour in
            (0..<5).map { index in
                let start = EventTime(secondsSinceEpoch: hour + Int64(index) * 600)
                var dimensions = EventDimensions()
                dimensions.app = index % 2 == 0 ? "chat" : "search"
                dimensions.environment = "prod"
                dimensions.labels["operation"] = "execute_tool"
                return LLMEvent(
                    start: start, end: start.advanced(byMilliseconds: 40), model: "", dimensions: dimensions,
                    status: index == 4 ? .error : .ok)
            }
        }
    }

    static func event(at second: Int64, now: Int64, random: inout SplitMix64, model fixedModel: Int? = nil)
        -> LLMEvent
    {
        let modelIndex = fixedModel ?? random.weightedIndex([5, 3, 2])
        let m = models[modelIndex]
        let lastWeek = second >= now - 7 * 86_400
        // globex triples its traffic in the last seven days: its spend more than doubles.
        let tenant = tenants[random.weightedIndex(lastWeek ? [1, 6, 1] : [2, 2, 2])]
        let app = apps[random.weightedIndex([5, 3, 2])]
        let start = EventTime(microsecondsSinceEpoch: second * 1_000_000 + Int64(random.next() % 1_000_000))
        let appFactor = app == "summarise" ? 1.6 : app == "search" ? 0.8 : 1.0
        let ttft = random.logNormal(median: m.ttft * appFactor, sigma: 0.35)
        let input = Int64(200 + random.next() % 1_800)
        let output = Int64(20 + random.next() % 480)
        let cached = m.provider == "vllm" ? 0 : (random.chance(0.4) ? input / 2 : 0)
        let tpot = random.logNormal(median: m.tpot, sigma: 0.2)
        let first = start.advanced(byMicroseconds: Int64(ttft * 1_000))
        let end = first.advanced(byMicroseconds: Int64(tpot * Double(output - 1) * 1_000))
        var dimensions = EventDimensions()
        dimensions.app = app
        dimensions.tenant = tenant
        dimensions.team = app == "chat" ? "core" : "growth"
        dimensions.environment = random.chance(0.8) ? "prod" : "staging"
        if m.model == "gpt-4o" { dimensions.modelVersion = second < now - 3 * 86_400 ? "2024-08-06" : "2024-11-20" }
        let failed = random.chance(m.errorRate)
        return LLMEvent(
            start: start, firstToken: failed ? nil : first, end: end, model: m.model, provider: m.provider,
            dimensions: dimensions,
            tokens: TokenCounts(input: input, output: failed ? 0 : output, cachedInput: cached),
            status: failed ? .error : .ok, errorType: failed ? (random.chance(0.5) ? "timeout" : "rate_limit") : nil,
            finishReason: failed ? nil : (random.chance(0.9) ? "stop" : "length"))
    }

    /// Runs the pipeline over the events until every record is stored, then evaluates PSI (the
    /// day before vs the last hour, by model) and the budgets, and waits for the SLO page.
    func store(client: PostgresClient, database: TestDatabase) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlsurface-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalogue = directory.appendingPathComponent("prices.yaml")
        try Self.catalogueYAML.write(to: catalogue, atomically: true, encoding: .utf8)
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Self.sloRule.write(to: rules.appendingPathComponent("ttft.yaml"), atomically: true, encoding: .utf8)

        let cluster = try MockKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("llm.requests", partitions: 4)
        try cluster.createTopic("otlp_spans", partitions: 1)
        var configuration = testConfiguration(
            brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "sqlsurface")
        configuration.kafka.topics.append(.init(name: "otlp_spans", format: .otlpProto))
        configuration.aggregation.dimensions = [.model, .provider, .app, .tenant, .team, .environment, .modelVersion]
        configuration.costs.catalogue = catalogue.path
        configuration.costs.budgets = [
            .init(name: "growth-daily", scope: .team, value: "growth", period: .daily, amountUSD: "0.5")
        ]
        var alerts = PipelineConfiguration.AlertSettings()
        alerts.rules = rules.path
        alerts.rulesConfigured = true
        alerts.everySeconds = 1
        configuration.alerts = alerts
        var quality = PipelineConfiguration.QualitySettings()
        quality.rates.base = 0.2
        configuration.quality = quality
        let store = AggregateStore(client: client, logger: TestLogging.logger())
        let pipeline = IngestPipeline(
            configuration: configuration, store: store, logger: TestLogging.logger(), makeScorer: { DoubleScorer() })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            try await waitUntil(
                "the partitions to be assigned", timeout: .seconds(60), pollingEvery: .milliseconds(200)
            ) {
                pipeline.statistics.rebalances > 0
            }
            var kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            kafka.properties = ["linger.ms": "5"]
            let producer = try KafkaProducer(configuration: kafka)
            let encoder = NativeJSONEncoder()
            for event in events {
                // One model's stream on one partition, in time order, as keyed production gives.
                let partition = Int32(Self.models.firstIndex { $0.model == event.model } ?? 0)
                try producer.send(
                    topic: "llm.requests", key: Array(event.model.utf8), value: encoder.encode(event),
                    partition: partition)
            }
            let otlp = OTLPEncoder()
            for (index, spans) in toolCalls.enumerated() {
                try producer.send(
                    topic: "otlp_spans", value: otlp.encode(spans, idSeed: UInt64(index) << 8), partition: 0)
            }
            // One record that does not decode, for the dead-letter table.
            try producer.send(topic: "llm.requests", value: Array("{\"model\": ".utf8), partition: 3)
            try producer.flush(timeout: .seconds(60))
            try await waitUntil(
                "the pipeline to store every record", timeout: .seconds(180), pollingEvery: .milliseconds(200)
            ) {
                try await storedRecordCount(client, group: "sqlsurface") == Int64(events.count + toolCalls.count) + 1
            }
            try await waitUntil(
                "the sampled responses to be scored", timeout: .seconds(120), pollingEvery: .milliseconds(200)
            ) {
                try await Self.count(
                    client,
                    """
                    SELECT ((SELECT count(*) FROM dl_quality_samples) > 0
                        AND (SELECT count(*) FROM dl_quality_samples) >= (SELECT coalesce(sum(sampled
                            - shed_queue_full - shed_no_scorer - shed_too_long), 0) FROM dl_quality_counts))::int::int8
                    """) == 1
            }
            try await waitUntil("the SLO to page", timeout: .seconds(120), pollingEvery: .milliseconds(200)) {
                try await Self.count(client, "SELECT count(*) FROM dl_alert_history WHERE status = 'firing'") > 0
            }
            pipeline.stop()
            try await group.waitForAll()
        }
        let hourNow = now / 3_600 * 3_600
        let evaluator = PSIEvaluator(features: ["ttft", "finish_reason"], groupBy: [.model])
        let results = try await evaluator.evaluate(
            store: store, reference: (hourNow - 2 * 86_400)..<(hourNow - 86_400), current: (now - 1_200)..<now)
        try await store.insert(results)
        _ = try await store.evaluateBudgets()
        try await Self.storeSLOBudget(client: client)
    }

    /// The SLO's error budget once more, now that every record is stored (the service's last
    /// evaluation may have run before the last flush), so dl_slo_budgets counts every event. The
    /// evaluation carries no conditions: the alerts stay as the service left them.
    static func storeSLOBudget(client: PostgresClient) async throws {
        let rule = try AlertRuleKindRegistry.standard.decode(yaml: sloRule, file: "ttft.yaml")
        let slo = try #require(rule as? SLOSpec)
        let alerts = PostgresAlertStore(client: client, logger: TestLogging.logger())
        let time = Date()
        let budget = try await slo.evaluation(source: alerts, at: time).budget
        try await alerts.step(
            AlertEngine(routes: [], externalURL: ""),
            evaluations: [AlertEngine.Evaluation(rule: slo.name, conditions: nil, budget: budget)], at: time)
    }

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int64 {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) {
            return value
        }
        return 0
    }

    /// A login user that is a member of driftline_reader and nothing else, as Grafana's is.
    static func withReaderClient<T: Sendable>(
        _ database: TestDatabase, admin: PostgresClient, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        _ = try await admin.query(
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sqlsurface_grafana') THEN
                    CREATE ROLE sqlsurface_grafana LOGIN IN ROLE driftline_reader;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created by a test running at the same time
            END $$
            """)
        var configuration = database.clientConfiguration
        configuration.username = "sqlsurface_grafana"
        configuration.password = nil
        let reader = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await reader.run() }
            defer { group.cancelAll() }
            return try await body(reader)
        }
    }
}
