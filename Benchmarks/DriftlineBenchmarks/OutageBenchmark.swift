import DriftlineDemo
import DriftlineKafka
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO

#if canImport(Glibc)
    import Glibc
#endif

/// How `driftline run` rides out PostgreSQL outages (issue "No record may crash, stall or freeze
/// ingest"): records arrive at a steady rate while the server is killed (immediate shutdown) for
/// 15, 60 and 120 s and started again. Prints, per outage, the time from the restart until
/// everything produced before it is stored, and the driftline process's resident memory.
///
///     swift build -c release --product DriftlineBenchmarks --product driftline
///     .build/release/DriftlineBenchmarks --outage [--rate 2000] [--outages 15,60,120]
enum OutageBenchmark {
    static func run(rate: Int, outages: [Int]) async throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("driftline").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            print("outage benchmark: build the driftline product next to the benchmark first")
            return
        }
        let script = repositoryRoot.appendingPathComponent("scripts/test-postgres.sh").path
        let directory = "/tmp/driftline-outage-bench-\(UUID().uuidString.prefix(8))"
        func postgres(_ command: String) throws {
            guard system("/bin/bash \(script) \(command) \(directory) > \(directory).out") == 0 else {
                throw BenchmarkFailure(message: "test-postgres.sh \(command) failed")
            }
        }
        try postgres("start")
        defer {
            try? postgres("stop")
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: "\(directory).out")
        }
        let port = try String(contentsOfFile: "\(directory)/port", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let url = "postgres://postgres@127.0.0.1:\(port)/postgres"

        // 64 partitions: a 120 s backlog at 2 000 records/s (~150 MB) stays under the mock
        // cluster's ~5 MB a partition while the pipeline holds off fetching.
        let cluster = try MockKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("llm.requests", partitions: 64)
        let config = "\(directory)-pipeline.yaml"
        try """
        kafka:
          brokers: "\(cluster.bootstrapServers)"
          group_id: outage-bench
          topics: [{name: llm.requests, format: native_json}]
        postgres:
          url: "\(url)"
        flush:
          interval_seconds: 1
          timeout_seconds: 5
        \(Benchmarks.driftOff ? "drift: {detectors: off, psi: off}" : "")
        """.write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "--config", config, "--log-level", "warning"]
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        let produced = SharedCount()
        print("outage benchmark: \(rate) records/s, PostgreSQL killed (immediate shutdown) and restarted")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await produceSteadily(rate: rate, brokers: cluster.bootstrapServers, produced: produced)
            }
            // Read on a new connection each time: the pool's connections die with the server and
            // it backs off (up to a minute) before making new ones, which would time the
            // benchmark's own reconnection, not driftline's recovery.
            func stored() async -> Int {
                var configuration = PostgresConnection.Configuration(
                    host: "127.0.0.1", port: Int(port) ?? 5432, username: "postgres", password: nil,
                    database: "postgres", tls: .disable)
                configuration.options.connectTimeout = .seconds(1)
                guard
                    let connection = try? await PostgresConnection.connect(
                        configuration: configuration, id: 1, logger: Logger(label: "outage-bench"))
                else { return -1 }
                defer { Task { try? await connection.close() } }
                guard
                    let rows = try? await connection.query(
                        "SELECT coalesce(sum(records), 0)::int8 FROM dl_consumer_offsets WHERE consumer_group = 'outage-bench'",
                        logger: Logger(label: "outage-bench"))
                else { return -1 }
                do {
                    for try await count in rows.decode(Int64.self) { return Int(count) }
                } catch { return -1 }
                return -1
            }
            // Steady state first.
            while await stored() < rate * 5 { try await Task.sleep(for: .milliseconds(200)) }
            for seconds in outages {
                try await Task.sleep(for: .seconds(5))
                let before = residentKilobytes(process.processIdentifier)
                try postgres("kill")
                var peak = before.current
                let until = ContinuousClock.now + .seconds(seconds)
                while ContinuousClock.now < until {
                    try await Task.sleep(for: .milliseconds(500))
                    peak = max(peak, residentKilobytes(process.processIdentifier).current)
                }
                try postgres("restart")
                let restarted = ContinuousClock.now
                let target = produced.value
                var atRestart: Int?
                var resumed: Duration?
                while true {
                    let count = await stored()
                    if count >= 0, atRestart == nil { atRestart = count }
                    if resumed == nil, let first = atRestart, count > first {
                        resumed = ContinuousClock.now - restarted
                    }
                    if count >= target { break }
                    peak = max(peak, residentKilobytes(process.processIdentifier).current)
                    try await Task.sleep(for: .milliseconds(100))
                }
                let recovery = ContinuousClock.now - restarted
                print(
                    String(
                        format:
                            "  outage %3d s: first flush stored %.1f s after the restart; everything produced before the restart stored %.1f s after it (%d records); driftline RSS %.0f MB before, peak %.0f MB during and after",
                        seconds, (resumed ?? recovery).seconds, recovery.seconds, target, Double(before.current) / 1024,
                        Double(peak) / 1024))
            }
            group.cancelAll()
        }
    }

    /// Sends generated request logs at `rate` records/s, round-robin over 64 partitions.
    static func produceSteadily(rate: Int, brokers: String, produced: SharedCount) async throws {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = ["linger.ms": "5"]
        let producer = try KafkaProducer(configuration: configuration)
        var generator = TrafficGenerator(seed: 5, textBytes: 200)
        var record: [UInt8] = []
        let start = ContinuousClock.now
        var sent = 0
        while !Task.isCancelled {
            let due = Int((ContinuousClock.now - start).seconds * Double(rate))
            while sent < due {
                record.removeAll(keepingCapacity: true)
                let micros = Int64(Date().timeIntervalSince1970 * 1e6)
                _ = generator.next(startMicroseconds: micros, into: &record)
                try producer.send(topic: "llm.requests", value: record, partition: Int32(sent % 64))
                sent += 1
            }
            try producer.flush(timeout: .seconds(10))
            produced.add(sent - produced.value)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The process's resident set now and at its peak (VmRSS, VmHWM), in KiB.
    static func residentKilobytes(_ pid: Int32) -> (current: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name) {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
            }
            return 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
