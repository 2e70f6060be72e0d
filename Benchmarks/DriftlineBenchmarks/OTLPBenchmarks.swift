import DriftlineCore
import DriftlineDemo
import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging

/// `--otlp`: OTLP GenAI spans (protobuf export batches as `OTLPEncoder` writes them, from the
/// traffic generator's requests).
///
/// 1. decode + map to events, in memory, one thread, for batches of 1, 10 and 100 spans;
/// 2. end to end: 100-span batches through the mock cluster and the pipeline into PostgreSQL.
enum OTLPBenchmarks {
    static func run(spans: Int, partitions: Int32, skipEndToEnd: Bool) async throws {
        var generator = TrafficGenerator(seed: 3, malformedRate: 0)
        var scratch: [UInt8] = []
        let start: Int64 = 1_764_072_000_000_000
        let events = (0..<spans).map { index -> LLMEvent in
            scratch.removeAll(keepingCapacity: true)
            return generator.next(startMicroseconds: start + Int64(index) * 3_000, into: &scratch).event
        }
        for size in [1, 10, 100] { inMemory(events, batchSize: size) }
        if skipEndToEnd { return }
        try await endToEnd(events, batchSize: 100, partitions: partitions)
    }

    static func batches(_ events: [LLMEvent], size: Int) -> [[UInt8]] {
        let encoder = OTLPEncoder(encoding: .protobuf)
        return stride(from: 0, to: events.count, by: size).map { first in
            encoder.encode(Array(events[first..<min(events.count, first + size)]), idSeed: UInt64(first))
        }
    }

    static func inMemory(_ events: [LLMEvent], batchSize: Int) {
        let records = batches(events, size: batchSize)
        let decoder = OTLPDecoder(encoding: .protobuf, keepText: false)
        let bytes = records.reduce(0) { $0 + $1.count }
        var decoded = 0
        var failures = 0
        // A warm-up pass over the first 10 %, then five measured passes over all of them; the
        // median pass is printed, with the fastest and slowest, as a shared machine's passes vary.
        for record in records.prefix(max(1, records.count / 10)) {
            decoded &+= (try? decoder.decode(record))?.events.count ?? 0
        }
        var passes: [Double] = []
        for _ in 0..<5 {
            decoded = 0
            failures = 0
            let clock = ContinuousClock.now
            for record in records {
                do {
                    decoded += try decoder.decode(record).events.count
                } catch {
                    failures += 1
                }
            }
            passes.append((ContinuousClock.now - clock).seconds)
        }
        passes.sort()
        let elapsed = passes[2]
        // The same records read without the mapping: by the hand-written wire reader the decoder
        // uses, and by SwiftProtobuf's generated code, which it replaces (one pass each).
        let readElapsed = seconds { (record) throws(DecodeError) in try decoder.spanCount(record) }
        let parseElapsed = seconds { (record) throws(DecodeError) in try decoder.swiftProtobufSpanCount(record) }
        print(
            String(
                format:
                    "OTLP protobuf decode + map, 1 thread, %3d-span batches: %.0f spans/s (%.2f µs/span; passes %.0f–%.0f spans/s; %.0f bytes/span, %d events, %d rejected)",
                batchSize, Double(decoded) / elapsed, elapsed / Double(max(decoded, 1)) * 1e6,
                Double(decoded) / passes[4], Double(decoded) / passes[0], Double(bytes) / Double(events.count),
                decoded, failures))
        for (name, time) in [
            ("wire reader alone (no mapping)", readElapsed), ("SwiftProtobuf parsing alone", parseElapsed),
        ] {
            print(
                "  of which \(name), "
                    + String(
                        format: "%3d-span batches: %.0f spans/s (%.2f µs/span)", batchSize,
                        Double(events.count) / time, time / Double(events.count) * 1e6))
        }

        func seconds(_ count: ([UInt8]) throws(DecodeError) -> Int) -> Double {
            let clock = ContinuousClock.now
            var spans = 0
            for record in records { spans += (try? count(record)) ?? 0 }
            precondition(spans == events.count, "every span is read")
            return (ContinuousClock.now - clock).seconds
        }
    }

    static func endToEnd(_ events: [LLMEvent], batchSize: Int, partitions: Int32) async throws {
        let logger = {
            var logger = Logger(label: "driftline.bench")
            logger.logLevel = .warning
            return logger
        }()
        let records = batches(events, size: batchSize)
        let cluster = try MockKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("bench.otlp", partitions: partitions)
        let (url, local) = try LocalPostgres.databaseURL(environment: ProcessInfo.processInfo.environment)
        defer { local?.stop() }
        var configuration = PipelineConfiguration()
        if Benchmarks.driftOff { configuration.drift = .off }
        configuration.kafka.brokers = cluster.bootstrapServers
        configuration.kafka.groupID = "bench-otlp-\(UUID().uuidString.prefix(8))"
        configuration.kafka.topics = [.init(name: "bench.otlp", format: .otlpProto)]
        configuration.flush.intervalSeconds = 1
        let pipelineConfiguration = configuration
        // The mock cluster keeps ~5 MB per partition: stay at most ~2 MB a partition ahead.
        let recordBytes = records.reduce(0) { $0 + $1.count } / max(records.count, 1)
        let maxAhead = max(1, Int(partitions) * 2_000_000 / max(recordBytes, 1))
        let (elapsed, statistics) = try await withPostgresClient(url: url, logger: logger) { client in
            let store = AggregateStore(client: client, logger: logger)
            let pipeline = IngestPipeline(configuration: pipelineConfiguration, store: store, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                while pipeline.statistics.rebalances == 0 { try await Task.sleep(for: .milliseconds(10)) }
                let start = ContinuousClock.now
                try await Benchmarks.produce(
                    count: records.count, brokers: cluster.bootstrapServers, maxAhead: maxAhead,
                    consumed: { Int(pipeline.statistics.records + pipeline.statistics.deadLetters) }
                ) { producer, index in
                    try producer.send(
                        topic: "bench.otlp", key: nil, value: records[index], partition: Int32(index % Int(partitions)))
                }
                while pipeline.statistics.committedRecords < Int64(records.count) {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let elapsed = ContinuousClock.now - start
                pipeline.stop()
                try await group.waitForAll()
                return (elapsed, pipeline.statistics)
            }
        }
        print(
            String(
                format:
                    "OTLP end to end (%d-span protobuf batches, mock cluster → pipeline → PostgreSQL, %d partitions, produced while consuming): %.0f spans/s (%d records, %d dead letters, %d flushes)",
                batchSize, partitions, Double(events.count) / elapsed.seconds, records.count, statistics.deadLetters,
                statistics.flushes))
    }
}
