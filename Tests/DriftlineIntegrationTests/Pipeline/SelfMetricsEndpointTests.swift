import AsyncHTTPClient
import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import NIOCore
import PostgresNIO
import Prometheus
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `/metrics`, `/healthz` and `/readyz` of a pipeline consuming from librdkafka's mock cluster
/// into a PostgreSQL of the test's own (which it stops), and `driftline health` against them.
/// The metrics go to a registry of the test's own: the process-wide MetricsSystem is not touched.
@Suite("Self-metrics endpoint", .serialized)
struct SelfMetricsEndpointTests {
    @Test func theCountersEqualWhatWasIngestedAndReadinessFollowsPostgres() async throws {
        try await OwnPostgres.with { server, client in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 2)
            var truth = GroundTruth()
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 2, count: 3_000, seed: 5,
                malformedRate: 0.02, truth: &truth)
            #expect(truth.malformed > 10, "the traffic has records to dead-letter")

            var configuration = PipelineConfiguration()
            configuration.kafka.brokers = cluster.bootstrapServers
            configuration.kafka.groupID = "selfmetrics"
            configuration.kafka.topics = [.init(name: "llm.requests", format: .nativeJSON)]
            configuration.kafka.properties = [
                "session.timeout.ms": "6000", "heartbeat.interval.ms": "500",
                "topic.metadata.refresh.interval.ms": "1000",
            ]
            configuration.postgres.url = server.url
            configuration.flush.intervalSeconds = 0.5
            configuration.flush.timeoutSeconds = 10
            configuration.alerts = nil
            let logger = TestLogging.logger()
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            let registry = PrometheusCollectorRegistry()
            let pipeline = IngestPipeline(
                configuration: configuration, store: store, logger: logger,
                metrics: PipelineMetrics(factory: PrometheusMetrics.factory(registry: registry)))
            let endpoint = try await HealthServer.start(host: "127.0.0.1", port: 0, registry: registry) {
                await pipeline.readiness()
            }
            defer { Task { await endpoint.stop() } }

            let before = try await Self.get(endpoint.url + "/readyz")
            #expect(before.status == 503, "not ready before the pipeline runs: \(before.body)")
            #expect(before.body.hasPrefix("not ready: starting"))

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                try await waitUntil("all records stored", timeout: .seconds(120), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "selfmetrics") == Int64(truth.total)
                }
                // The lag is read from the watermarks of the last fetch, at most once a second.
                try await waitUntil("the lag to reach 0", timeout: .seconds(60), pollingEvery: .milliseconds(250)) {
                    let samples = try await Self.scrape(endpoint)
                    return (0...1).allSatisfy {
                        samples[#"driftline_kafka_consumer_lag_records{topic="llm.requests",partition="\#($0)"}"#] == 0
                    }
                }
                let samples = try await Self.scrape(endpoint)
                let topic = #"{topic="llm.requests"}"#
                #expect(samples["driftline_records_consumed_total" + topic] == Double(truth.total))
                #expect(samples["driftline_records_decoded_total" + topic] == Double(truth.total - truth.malformed))
                #expect(samples["driftline_records_dead_lettered_total" + topic] == Double(truth.malformed))
                #expect(samples[#"driftline_rows_written_total{table="dl_dead_letters"}"#] == Double(truth.malformed))
                let deadLetters = try await client.query(
                    "SELECT count(*)::int8 FROM dl_dead_letters WHERE consumer_group = 'selfmetrics'")
                for try await count in deadLetters.decode(Int64.self) { #expect(count == truth.malformed) }
                let flushes = try #require(samples[#"driftline_flush_duration_seconds_count{outcome="committed"}"#])
                #expect(flushes == Double(pipeline.statistics.flushes) && flushes >= 1)

                let ready = try await Self.get(endpoint.url + "/readyz")
                #expect(ready.status == 200 && ready.body == "ready: consuming 2 partitions\n", "\(ready)")
                let alive = try await Self.get(endpoint.url + "/healthz")
                #expect(alive.status == 200 && alive.body == "ok\n")
                #expect(try await Self.get(endpoint.url + "/nothing").status == 404)
                #expect(try await Self.get(endpoint.url + "/metrics", post: true).status == 405)

                // PostgreSQL stops: an idle member notices through the probe of /readyz.
                try server.kill()
                try await waitUntil("/readyz to answer 503", timeout: .seconds(60), pollingEvery: .milliseconds(500)) {
                    try await Self.get(endpoint.url + "/readyz").status == 503
                }
                let down = try await Self.get(endpoint.url + "/readyz")
                #expect(down.body.hasPrefix("not ready: PostgreSQL"), "\(down.body)")
                #expect(!down.body.dropLast().contains("\n"), "one line")
                #expect(try await Self.get(endpoint.url + "/healthz").status == 200, "alive all the same")

                try server.restart()
                try await waitUntil("/readyz to answer 200", timeout: .seconds(90), pollingEvery: .milliseconds(500)) {
                    try await Self.get(endpoint.url + "/readyz").status == 200
                }
                pipeline.stop()
                try await group.waitForAll()
            }
            let stopped = try await Self.get(endpoint.url + "/readyz")
            #expect(stopped.status == 503 && stopped.body.hasPrefix("not ready: stopped"), "\(stopped)")
        }
    }

    /// `driftline health` exits 0 only on a 200, and otherwise prints one line saying why.
    @Test func healthExitsZeroOnlyWhenReady() async throws {
        let registry = PrometheusCollectorRegistry()
        let state = Mutex(Readiness.ready("consuming 8 partitions"))
        let endpoint = try await HealthServer.start(host: "127.0.0.1", port: 0, registry: registry) {
            state.withLock { $0 }
        }
        defer { Task { await endpoint.stop() } }

        let ready = try DriftlineProcess(["health", "--url", endpoint.url + "/readyz"])
        #expect(await ready.waitForExit(within: .seconds(60))?.status == 0, "\(ready.output)")
        #expect(ready.output == "ready: consuming 8 partitions\n")

        state.withLock { $0 = .notReady("PostgreSQL is unreachable: connection refused") }
        let notReady = try DriftlineProcess(["health", "--url", endpoint.url + "/readyz"])
        #expect(await notReady.waitForExit(within: .seconds(60))?.status == 1)
        #expect(notReady.output == "unhealthy: not ready: PostgreSQL is unreachable: connection refused\n")

        let port = try closedLoopbackPort()
        let nobody = try DriftlineProcess(["health", "--url", "http://127.0.0.1:\(port)/readyz"])
        #expect(await nobody.waitForExit(within: .seconds(60))?.status == 1)
        #expect(nobody.output.hasPrefix("unhealthy: http://127.0.0.1:\(port)/readyz: "), "\(nobody.output)")
        #expect(nobody.output.split(separator: "\n").count == 1, "one line: \(nobody.output)")

        // A server that accepts and never answers: the deadline ends the wait.
        let silent = try ListeningSocket()
        let hung = try DriftlineProcess([
            "health", "--url", "http://127.0.0.1:\(silent.port)/readyz", "--timeout", "1",
        ])
        #expect(await hung.waitForExit(within: .seconds(60))?.status == 1)
        #expect(hung.output.contains("no answer within 1.0 s"), "\(hung.output)")
    }

    /// The real thing, as compose runs it: `driftline run` serving /readyz, `driftline health`
    /// asking it, PostgreSQL stopped and started under it.
    @Test func healthFollowsARunningDriftlineAndItsPostgres() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.driftlineExecutable))
        try await OwnPostgres.with { server, client in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 2)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfmetrics-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = directory.appendingPathComponent("pipeline.yaml")
            try """
            kafka:
              brokers: "\(cluster.bootstrapServers)"
              group_id: health
              topics: [{name: llm.requests, format: native_json}]
              properties:
                session.timeout.ms: "6000"
                heartbeat.interval.ms: "500"
            postgres:
              url: "\(server.url)"
            flush:
              interval_seconds: 1
              timeout_seconds: 10
            alerts: off
            """.write(to: config, atomically: true, encoding: .utf8)
            let port = try closedLoopbackPort()
            let run = try DriftlineProcess(
                ["run", "--config", config.path, "--log-level", "warning"],
                environment: ["METRICS_ADDRESS": "127.0.0.1:\(port)"])
            defer { if run.process.isRunning { run.signal(SIGKILL) } }
            let url = "http://127.0.0.1:\(port)/readyz"
            func health() async throws -> (status: Int32, output: String) {
                let check = try DriftlineProcess(["health", "--url", url])
                let status = await check.waitForExit(within: .seconds(60))?.status ?? -1
                return (status, check.output)
            }
            try await waitUntil("driftline to be ready", timeout: .seconds(120), pollingEvery: .milliseconds(500)) {
                try await health().status == 0
            }
            #expect(try await health().output == "ready: consuming 2 partitions\n")
            try server.kill()
            try await waitUntil("driftline to be unready", timeout: .seconds(60), pollingEvery: .milliseconds(500)) {
                try await health().status == 1
            }
            #expect(try await health().output.hasPrefix("unhealthy: not ready: PostgreSQL"))
            try server.restart()
            try await waitUntil("driftline to be ready again", timeout: .seconds(120), pollingEvery: .milliseconds(500))
            {
                try await health().status == 0
            }
            _ = client
            run.signal(SIGTERM)
            #expect(await run.waitForExit(within: .seconds(30))?.status == 0, "\(run.output.suffix(2000))")
        }
    }

    // MARK: Helpers

    static func get(_ url: String, post: Bool = false) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = post ? .POST : .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    static func scrape(_ endpoint: HealthServer) async throws -> [String: Double] {
        let response = try await get(endpoint.url + "/metrics")
        #expect(response.status == 200)
        var result: [String: Double] = [:]
        for line in response.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            result[String(line[..<space])] = value
        }
        return result
    }
}
