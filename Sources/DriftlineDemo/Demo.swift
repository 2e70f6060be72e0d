import DriftlineAlerts
import DriftlineKafka
public import DriftlineModel
import DriftlinePipeline
import DriftlineStore
public import Foundation
import Logging
import Synchronization

/// `driftline demo`: the whole path on embedded defaults. An in-process librdkafka mock cluster,
/// `DATABASE_URL` or else a throwaway local PostgreSQL, the traffic generator with a latency
/// incident on one model half-way through, the pipeline consuming at the same time; then the
/// per-model figures read back from PostgreSQL with the SQL histogram functions.
public struct Demo: Sendable {
    public var seconds: Double
    public var rate: Double
    public var partitions: Int32
    public var incidentModel = "gpt-4o"
    /// The model whose topic and answer length shift half-way (`Demo+Drift.swift`).
    public var driftModel = "gpt-4o-mini"
    public var topic = "llm.requests"
    /// The price catalogue the demo prices with; the demo's cost tables are skipped when it is
    /// not found (run from the repository root).
    public var priceCatalogue = "pipelines/prices-local.yaml"
    /// A quarter of the traffic also arrives as OTLP GenAI spans (protobuf, 10 to a batch) here.
    public var otlpTopic = RecordFormat.defaultOTLPTopic
    /// The SLO and threshold rules the demo alerts on, paging an in-process webhook sink; no
    /// alerting when the folder is not found (run from the repository root).
    public var alertRules = "alerts"
    /// The faithfulness scorer; with one, grounded responses are sampled and scored too
    /// (Demo+Quality.swift).
    public var faithfulnessScorer: (@Sendable () throws -> any FaithfulnessScoring)?
    /// Grounded request logs with context produced for the quality plane.
    public var groundedRequests = 800
    /// Where the demo writes its HTML report (`driftline report`).
    public var reportPath = FileManager.default.temporaryDirectory.appendingPathComponent("driftline-demo-report.html")
        .path

    public init(seconds: Double, rate: Double, partitions: Int32) {
        self.seconds = seconds
        self.rate = rate
        self.partitions = partitions
    }

    public func run(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> String {
        var logger = Logger(label: "driftline.demo")
        logger.logLevel = .warning
        let cluster = try MockKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic(topic, partitions: partitions)
        try cluster.createTopic(otlpTopic, partitions: partitions)

        let (url, local) = try LocalPostgres.databaseURL(environment: environment)
        defer { local?.stop() }
        if let local { say("started a throwaway PostgreSQL on 127.0.0.1:\(local.port) (\(local.directory))") }

        var configuration = PipelineConfiguration()
        configuration.kafka.brokers = cluster.bootstrapServers
        configuration.kafka.groupID = "driftline-demo-\(UUID().uuidString.prefix(8))"
        configuration.kafka.topics = [
            .init(name: topic, format: .nativeJSON), .init(name: otlpTopic, format: .otlpProto),
        ]
        configuration.aggregation.windowSeconds = 10
        configuration.flush.intervalSeconds = 1
        if FileManager.default.fileExists(atPath: priceCatalogue) { configuration.costs.catalogue = priceCatalogue }
        // Alerts page a signed webhook sink in this process; evaluations every 5 s rather than
        // 30 s and no group wait, so that the page arrives within the demo's minute.
        let secret = UUID().uuidString
        let sink: WebhookSink? =
            FileManager.default.fileExists(atPath: alertRules)
            ? try await WebhookSink.start(WebhookSinkConfiguration(port: 0, secret: Array(secret.utf8))) : nil
        defer { if let sink { Task { await sink.stop() } } }
        if let sink {
            var alerts = PipelineConfiguration.AlertSettings()
            alerts.rules = alertRules
            alerts.rulesConfigured = true
            alerts.everySeconds = 5
            var receiver = PipelineConfiguration.ReceiverSettings(name: "oncall", url: sink.url, secret: secret)
            receiver.match = ["severity": "page"]
            receiver.groupBy = ["alertname", "model"]
            receiver.groupWaitSeconds = 0
            alerts.receivers = [receiver]
            configuration.alerts = alerts
            say("alert rules from \(alertRules)/, pages to a signed webhook sink at \(sink.url)")
        } else {
            configuration.alerts = nil
        }
        if faithfulnessScorer != nil { configuration.quality = Self.qualitySettings }
        let pages = Pages()
        let grounded = Mutex<[String: [GroundedResponseGenerator.Kind: Int]]>([:])
        let plan = TrafficPlan(
            brokers: cluster.bootstrapServers, topic: topic, count: Int(seconds * rate), rate: rate, seed: 7,
            incident: .init(model: incidentModel, factor: 4, errorFactor: 3), incidentAfterSeconds: seconds / 2,
            malformedRate: 0.0005)
        let otlpPlan = {
            var plan = TrafficPlan(
                brokers: cluster.bootstrapServers, topic: otlpTopic, count: Int(seconds * rate / 4), rate: rate / 4,
                seed: 8, incident: .init(model: incidentModel, factor: 4, errorFactor: 3),
                incidentAfterSeconds: seconds / 2)
            plan.format = .otlpProto
            return plan
        }()
        var plans = [plan, otlpPlan]
        configureDrift(&configuration, plans: &plans)
        let (drifting, otlpDrifting) = (plans[0], plans[1])
        say(
            "mock Kafka cluster at \(cluster.bootstrapServers), topic \(topic) with \(partitions) partitions; "
                + "generating \(Int(rate)) requests/s for \(Int(seconds)) s, \(incidentModel) latency incident at \(Int(seconds / 2)) s"
        )

        let pipelineConfiguration = configuration
        let demoLogger = logger
        return try await withPostgresClient(url: url, logger: logger) { client in
            let logger = demoLogger
            let configuration = pipelineConfiguration
            let store = AggregateStore(client: client, logger: logger)
            let pipeline = IngestPipeline(
                configuration: configuration, store: store, logger: logger, makeScorer: faithfulnessScorer)
            let since = Int64(Date().timeIntervalSince1970) - 600
            let started = ContinuousClock.now
            let startedAt = Date()
            let incidentStart = startedAt.addingTimeInterval(seconds / 2)
            let produced: Int = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                if let sink {
                    group.addTask {
                        for await event in sink.events {
                            guard case .accepted(let notification) = event else { continue }
                            pages.add(notification)
                            for line in Self.pageLines(notification, incidentStart: incidentStart) { say(line) }
                        }
                    }
                }
                async let spans = otlpDrifting.run()
                let produced = try await drifting.run { count in say("… produced \(count) records") }
                let otlpSpans = try await spans
                var groundedCount = 0
                if faithfulnessScorer != nil {
                    let kinds = try Self.produceGroundedTraffic(
                        brokers: cluster.bootstrapServers, topic: topic, count: groundedRequests, seed: 9)
                    grounded.withLock { $0 = kinds }
                    groundedCount = groundedRequests
                }
                let records = produced + otlpPlan.records(forRequests: otlpSpans) + groundedCount
                say(
                    "produced \(produced) request logs and \(otlpSpans) OTLP spans in \(records - produced) export "
                        + "batches; waiting for the pipeline to store them")
                let deadline = ContinuousClock.now + .seconds(120)
                while pipeline.statistics.committedRecords < Int64(records), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await Self.waitForScoring(pipeline, timeout: .seconds(60))
                if sink != nil {
                    let pageDeadline = ContinuousClock.now + .seconds(30)
                    while !pages.any(model: incidentModel), ContinuousClock.now < pageDeadline {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                pipeline.stop()
                await sink?.stop()
                try await group.waitForAll()
                return produced + otlpSpans + groundedCount
            }
            let elapsed = ContinuousClock.now - started
            var out = try await report(store: store, pipeline: pipeline, produced: produced, elapsed: elapsed)
            out += try await driftReport(
                store: store, configuration: configuration, started: startedAt, shiftAt: incidentStart)
            if faithfulnessScorer != nil {
                out += try await Self.qualityReport(
                    store: store, pipeline: pipeline, since: since, generated: grounded.withLock { $0 })
            }
            out += try await writeHTMLReport(store: store)
            if sink != nil {
                out += Self.pagesReport(pages.all, incidentStart: incidentStart, model: incidentModel)
            }
            return out
        }
    }

    private func report(store: AggregateStore, pipeline: IngestPipeline, produced: Int, elapsed: Duration) async throws
        -> String
    {
        let statistics = pipeline.statistics
        let summaries = try await store.modelSummaries()
        let deadLetters = try await store.deadLetterCount(group: pipeline.configuration.kafka.groupID)
        let timeline = try await store.ttftTimeline(model: incidentModel)

        var out = "\nPer model, read back from PostgreSQL (dl_hist_quantile over dl_hist_merge_agg):\n\n"
        var table = TextTable(columns: [
            "model", "provider", "requests", "err %", "TTFT p50", "p95", "p99", "TPOT p50", "p95", "p99",
            "input tok", "output tok",
        ])
        for s in summaries {
            table.add([
                s.model, s.provider, "\(s.requests)", String(format: "%.2f", s.errorRate * 100),
                ms(s.ttftP50), ms(s.ttftP95), ms(s.ttftP99), ms(s.tpotP50), ms(s.tpotP95), ms(s.tpotP99),
                "\(s.inputTokens)", "\(s.outputTokens)",
            ])
        }
        out += table.render()
        out += "\n\(incidentModel) TTFT p99 per 10 s window (the incident starts half-way):\n\n"
        var timelineTable = TextTable(columns: ["window start (UTC)", "requests", "TTFT p99"])
        let formatter = ISO8601DateFormatter()
        for point in timeline {
            timelineTable.add([
                formatter.string(from: Date(timeIntervalSince1970: TimeInterval(point.windowStart))),
                "\(point.requests)", ms(point.p99),
            ])
        }
        out += timelineTable.render()
        if pipeline.configuration.costs.catalogue != nil {
            let end = Int64(Date().timeIntervalSince1970) + 86_400
            for dimension in ["tenant", "model"] {
                let rows = try await store.spend(by: dimension, from: 0, to: end)
                out += "\n" + CostReport.render(rows, dimension: dimension, title: "Cost by \(dimension) (dl_spend)")
            }
        }
        let stored = summaries.reduce(0) { $0 + $1.requests }
        out += """

            produced \(produced) requests (request logs + OTLP spans); stored \(stored) requests + \(deadLetters) dead letters = \(stored + deadLetters) \
            (\(stored + deadLetters == Int64(produced) ? "every record accounted for" : "MISMATCH"))
            flushes \(statistics.flushes), failed \(statistics.failedFlushes), fenced \(statistics.fencedFlushes), \
            pauses \(statistics.pauses); \(String(format: "%.1f", elapsed.seconds)) s end to end

            Ask PostgreSQL anything, e.g.:
              SELECT model, dl_hist_quantile(dl_hist_merge_agg(ttft_ms), 0.99) AS p99_ttft_ms
              FROM dl_windows WHERE window_start >= now() - interval '1 hour' GROUP BY model;

            """
        return out
    }

    /// One line per firing or resolved alert of a notification the sink accepted.
    static func pageLines(_ notification: ReceivedNotification, incidentStart: Date) -> [String] {
        let offset = notification.receivedAt.timeIntervalSince(incidentStart)
        return notification.payload.alerts.map { alert in
            String(
                format: "… page at the webhook sink, %+.1f s from the incident's start (%@): %@ %@ %@ %@ — %@",
                offset, notification.signatureVerified ? "signature verified" : "UNSIGNED", alert.status,
                alert.labels["alertname"] ?? "", groupLabels(alert.labels), alert.labels["burn_tier"] ?? "",
                alert.annotations["summary"] ?? "")
        }
    }

    /// The labels that tell an alert's group apart (model=gpt-4o), without the rule's own.
    static func groupLabels(_ labels: [String: String]) -> String {
        let own: Set = ["alertname", "slo", "severity", "burn_tier", "burn_window", "team"]
        return labels.filter { !own.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
    }

    static func pagesReport(_ pages: [ReceivedNotification], incidentStart: Date, model: String) -> String {
        var out = "\nPages received by the webhook sink (Alertmanager v4 JSON, HMAC-SHA256 signed):\n\n"
        guard !pages.isEmpty else { return out + "  none\n" }
        var table = TextTable(columns: [
            "after incident", "status", "alertname", "group", "tier", "signature", "summary",
        ])
        for page in pages {
            for alert in page.payload.alerts {
                table.add([
                    String(format: "%+.1f s", page.receivedAt.timeIntervalSince(incidentStart)), alert.status,
                    alert.labels["alertname"] ?? "", groupLabels(alert.labels), alert.labels["burn_tier"] ?? "",
                    page.signatureVerified ? "verified" : "none", alert.annotations["summary"] ?? "",
                ])
            }
        }
        out += table.render()
        if let first = pages.first(where: { $0.payload.alerts.contains { $0.labels["model"] == model } }) {
            out += String(
                format: "\n%@ paged %.1f s after its latency incident began.\n", model,
                first.receivedAt.timeIntervalSince(incidentStart))
        }
        return out
    }

    private func ms(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value >= 1000 ? String(format: "%.2f s", value / 1000) : String(format: "%.1f ms", value)
    }
}

/// The notifications the demo's sink accepted, in arrival order.
final class Pages: Sendable {
    private let received = Mutex<[ReceivedNotification]>([])

    func add(_ notification: ReceivedNotification) { received.withLock { $0.append(notification) } }

    var all: [ReceivedNotification] { received.withLock { $0 } }

    func any(model: String) -> Bool {
        received.withLock { $0.contains { $0.payload.alerts.contains { $0.labels["model"] == model } } }
    }
}

func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
