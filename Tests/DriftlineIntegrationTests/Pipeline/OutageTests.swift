import DriftlineKafka
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// PostgreSQL killed (an immediate shutdown, as a crash or an OOM kill) while `driftline run`
/// flushes: the process never freezes, SIGTERM always ends it within a bound, and the totals are
/// exact once the server is back. Each test runs its own PostgreSQL cluster, which it kills.
@Suite("PostgreSQL outages", .serialized)
struct OutageTests {
    /// How long `driftline run` may take to exit after SIGTERM: the store-call deadline the
    /// tests configure (10 s; shorter ones time out flushes that a loaded CI machine needs more
    /// for), one final flush attempt, and leaving the group.
    static let shutdownBound: Duration = .seconds(25)

    @Test func killedTenTimesDuringLargeFlushesNeverFreezesAndEndsExact() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.driftlineExecutable))
        try await OwnPostgres.with { server, client in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 16)
            let directory = try temporaryDirectory("driftline-outage")
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = try writeConfig(directory, brokers: cluster.bootstrapServers, url: server.url, group: "outage")
            try await Migrator().migrate(client: client, logger: TestLogging.logger())

            var truth = GroundTruth()
            let process = try CrashRecoveryTests.launch(
                config: config, log: directory.appendingPathComponent("run.log"))
            var random = SplitMix64(seed: 7)
            var produced = 0
            for kill in 0..<10 {
                // Records keep arriving, so every flush is a large one (thousands of rows).
                try produceTraffic(
                    brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 16, count: 4_000,
                    seed: UInt64(100 + kill), malformedRate: 0.001,
                    startMicroseconds: 1_764_072_000_000_000 + Int64(kill) * 600_000_000, truth: &truth)
                produced += 4_000
                let before = try await server.storedRecords(group: "outage")
                try await waitUntil(
                    "a flush after restart \(kill)", timeout: .seconds(90), pollingEvery: .milliseconds(200)
                ) {
                    (try? await server.storedRecords(group: "outage")) ?? 0 > before
                }
                try await Task.sleep(for: .milliseconds(Int64(random.uniform() * 1200)))
                try server.kill()
                try await Task.sleep(for: .milliseconds(500 + Int64(random.uniform() * 1500)))
                #expect(process.isRunning, "driftline run must ride out the outage")
                try server.restart()
            }
            do {
                // The property is that ingest never freezes and ends exact, not a speed: with the whole
                // suite beside it on 2 cores, the flushes after the last outage took over 120 s.
                try await waitUntil(
                    "all \(produced) records stored after 10 outages", timeout: .seconds(300),
                    pollingEvery: .milliseconds(200)
                ) {
                    (try? await server.storedRecords(group: "outage")) == Int64(produced)
                }
            } catch {
                let stored = try? await server.storedRecords(group: "outage")
                let log = directory.appendingPathComponent("run.log")
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                Issue.record(
                    "\(stored.map(String.init) ?? "?") of \(produced) stored; run.log ends:\n\(output.suffix(6000))")
                kill(process.processIdentifier, SIGKILL)
                throw error
            }
            let stopping = ContinuousClock.now
            kill(process.processIdentifier, SIGTERM)
            try await waitForExit(process, within: Self.shutdownBound)
            #expect(ContinuousClock.now - stopping < Self.shutdownBound)
            #expect(process.terminationStatus == 0, "graceful shutdown on SIGTERM")
            try await expectMatches(truth, client, quantiles: false)
            let dead = try await client.query(
                "SELECT count(*)::int8 FROM dl_dead_letters WHERE consumer_group = 'outage'")
            for try await count in dead.decode(Int64.self) { #expect(count == truth.malformed) }
        }
    }

    @Test func sigtermWhileTheStoreIsDownExitsNonZeroSayingWhatIsReadAgain() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.driftlineExecutable))
        try await OwnPostgres.with { server, client in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 4)
            let directory = try temporaryDirectory("driftline-outage-term")
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = try writeConfig(directory, brokers: cluster.bootstrapServers, url: server.url, group: "term")
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            var truth = GroundTruth()
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 2_000, truth: &truth)
            let log = directory.appendingPathComponent("run.log")
            let process = try CrashRecoveryTests.launch(config: config, log: log)
            try await waitUntil("the first flush", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                try await storedRecordCount(client, group: "term") > 0
            }
            try server.kill()
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 2_000, seed: 2,
                truth: &truth)
            try await Task.sleep(for: .seconds(3))
            let stopping = ContinuousClock.now
            kill(process.processIdentifier, SIGTERM)
            try await waitForExit(process, within: Self.shutdownBound)
            #expect(ContinuousClock.now - stopping < Self.shutdownBound)
            #expect(process.terminationStatus != 0, "a failed final flush is not a clean exit")
            let output = try String(contentsOf: log, encoding: .utf8)
            #expect(output.contains("read again from Kafka"), "\(output.suffix(2000))")
            // Nothing is lost: the next run stores the rest exactly.
            try server.restart()
            let rerun = try CrashRecoveryTests.launch(
                config: config, log: directory.appendingPathComponent("rerun.log"))
            try await waitUntil(
                "everything stored after the restart", timeout: .seconds(90), pollingEvery: .milliseconds(200)
            ) {
                (try? await server.storedRecords(group: "term")) == 4_000
            }
            try await Task.sleep(for: .seconds(2))
            kill(rerun.processIdentifier, SIGTERM)
            try await waitForExit(rerun, within: Self.shutdownBound)
            try await expectMatches(truth, client, quantiles: false)
        }
    }

    private func writeConfig(_ directory: URL, brokers: String, url: String, group: String) throws -> String {
        let config = directory.appendingPathComponent("pipeline.yaml")
        try """
        kafka:
          brokers: "\(brokers)"
          group_id: \(group)
          topics: [{name: llm.requests, format: native_json}]
          batch_size: 2000
          properties:
            session.timeout.ms: "6000"
            heartbeat.interval.ms: "500"
            topic.metadata.refresh.interval.ms: "1000"
        postgres:
          url: "\(url)"
        aggregation:
          dimensions: [model, provider, app, tenant, environment]
        flush:
          interval_seconds: 1
          timeout_seconds: 10
        """.write(to: config, atomically: true, encoding: .utf8)
        return config.path
    }

    private func waitForExit(_ process: Process, within bound: Duration) async throws {
        let deadline = ContinuousClock.now + bound
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            Issue.record("still running \(bound) after SIGTERM")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// A PostgreSQL cluster of the test's own (`scripts/test-postgres.sh`), which it may kill.
struct OwnPostgres {
    let directory: String
    let port: Int

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    static var script: String {
        repositoryRoot.appendingPathComponent("scripts/test-postgres.sh").path
    }

    static func with(_ body: (OwnPostgres, PostgresClient) async throws -> Void) async throws {
        let directory = "/tmp/driftline-own-pg-\(UUID().uuidString.prefix(8))"
        let output = try run(["start", directory])
        guard
            let port = output.split(separator: " ").first(where: { $0.hasPrefix("POSTGRES_PORT=") })
                .flatMap({ Int($0.dropFirst("POSTGRES_PORT=".count)) })
        else { throw OwnPostgresError(message: "test-postgres.sh start printed no port: \(output)") }
        let server = OwnPostgres(directory: directory, port: port)
        defer {
            _ = try? run(["stop", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        configuration.options.connectTimeout = .seconds(2)
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(server, client)
        }
    }

    func kill() throws { _ = try Self.run(["kill", directory]) }

    /// Records stored for `group`, read on a new connection: a pool's connections die with the
    /// server and it backs off before making new ones, which would slow the test, not driftline.
    func storedRecords(group: String) async throws -> Int64 {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: TestLogging.logger())
        defer { Task { try? await connection.close() } }
        let rows = try await connection.query(
            "SELECT coalesce(sum(records), 0)::int8 FROM dl_consumer_offsets WHERE consumer_group = \(group)",
            logger: TestLogging.logger())
        for try await count in rows.decode(Int64.self) { return count }
        return 0
    }
    func restart() throws { _ = try Self.run(["restart", directory]) }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        // Not Foundation's Process: on Linux it learns that a child ended when a descriptor the
        // child inherited closes, and the server that `start` launches keeps it open for good.
        // Output goes to a file for the same reason.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("own-pg-\(UUID()).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let command = (["/bin/bash", script] + arguments).joined(separator: " ") + " > \(output.path)"
        let status = system(command)
        guard status == 0 else {
            throw OwnPostgresError(message: "test-postgres.sh \(arguments.joined(separator: " ")) failed (\(status))")
        }
        return try String(contentsOf: output, encoding: .utf8)
    }
}

struct OwnPostgresError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
