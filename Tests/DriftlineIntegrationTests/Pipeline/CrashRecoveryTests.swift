import DriftlineKafka
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The exactly-once effect across crashes: `driftline run` processes are killed with SIGKILL at
/// random points while consuming and started again; the final totals equal the input exactly,
/// and the drift detectors, whose state is stored with the offsets, made exactly the detections
/// of an uninterrupted run.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    /// The `driftline` executable built next to this test bundle.
    static var driftlineExecutable: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("driftline").path
    }

    @Test func killedAtRandomPointsAndRestartedCountsEveryRecordOnce() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.driftlineExecutable))
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 3)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 8)
            // ~600-byte records: 40 k of them (~3 MB a partition) stay under the mock's ~5 MB.
            var truth = GroundTruth()
            let total = 40_000
            var records: [Int32: [[UInt8]]] = [:]
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", count: total, seed: 99,
                malformedRate: 0.001, incidentFrom: total / 2, truth: &truth
            ) { records[$0, default: []].append($1) }

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftline-crash-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = directory.appendingPathComponent("pipeline.yaml")
            try """
            kafka:
              brokers: "\(cluster.bootstrapServers)"
              group_id: crash
              topics: [{name: llm.requests, format: native_json}]
              batch_size: 500
              properties:
                session.timeout.ms: "6000"
                heartbeat.interval.ms: "500"
                topic.metadata.refresh.interval.ms: "1000"
            postgres:
              url: "\(database.url)"
            flush:
              interval_seconds: 0.3
            """.write(to: config, atomically: true, encoding: .utf8)

            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            var random = SplitMix64(seed: 2026)
            var kills = 0
            var storedAtKills: [Int64] = []
            while kills < 5 {
                let process = try Self.launch(
                    config: config.path, log: directory.appendingPathComponent("run-\(kills).log"))
                // Let it get through start-up, the group join and some flushes, then kill it
                // wherever it is: mid-batch, mid-flush or mid-commit.
                try await waitUntil(
                    "the consumer to store something", timeout: .seconds(60), pollingEvery: .milliseconds(200)
                ) {
                    try await storedRecordCount(client, group: "crash") > (storedAtKills.last ?? 0)
                }
                try await Task.sleep(for: .milliseconds(Int64(random.uniform() * 1500)))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                storedAtKills.append(try await storedRecordCount(client, group: "crash"))
                if storedAtKills.last == Int64(total) { break }
            }
            let final = try Self.launch(config: config.path, log: directory.appendingPathComponent("run-final.log"))
            let launched = ContinuousClock.now
            try await waitUntil(
                "all records stored after \(kills) kills", timeout: .seconds(180), pollingEvery: .milliseconds(200)
            ) {
                try await storedRecordCount(client, group: "crash") == Int64(total)
            }
            // When the killed runs stored everything already, the wait above returns at once; a
            // SIGTERM before the process has installed its handlers (a few milliseconds after
            // exec) would end it by the default action, which is not what is under test.
            let up = ContinuousClock.now - launched
            if up < .seconds(3) { try await Task.sleep(for: .seconds(3) - up) }
            kill(final.processIdentifier, SIGTERM)
            final.waitUntilExit()
            #expect(final.terminationStatus == 0, "graceful shutdown on SIGTERM")

            try await expectMatches(truth, client, quantiles: false)
            let dead = try await client.query(
                "SELECT count(*)::int8 FROM dl_dead_letters WHERE consumer_group = 'crash'")
            for try await count in dead.decode(Int64.self) { #expect(count == truth.malformed) }

            let expected = uninterruptedDetections(records)
            let stored = try await storedDetections(client, group: "crash")
            #expect(expected.contains { $0.model == "gpt-4o" && $0.signal == "ttft" }, "the incident is detected")
            let missing = expected.subtracting(stored).sorted()
            let extra = stored.subtracting(expected).sorted()
            #expect(
                missing.isEmpty && extra.isEmpty,
                "\(stored.count) stored, \(expected.count) expected; missing: \(missing.prefix(10)); extra: \(extra.prefix(10))"
            )
        }
    }

    /// Starts `driftline run --config config`, its output in `log`, without the environment's
    /// DATABASE_URL and KAFKA_BROKERS (the file says where to connect).
    static func launch(config: String, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.driftlineExecutable)
        process.arguments = ["run", "--config", config, "--log-level", "warning"]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["KAFKA_BROKERS"] = nil
        // Several runs at once: each serves its metrics on a port of its own.
        environment["METRICS_ADDRESS"] = "127.0.0.1:0"
        process.environment = environment
        try process.run()
        return process
    }
}
