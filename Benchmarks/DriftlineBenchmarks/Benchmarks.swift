import DriftlineCore
import DriftlineDemo
import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Release-mode benchmarks; they print figures and assert nothing.
///
///     swift run -c release DriftlineBenchmarks [--records N] [--partitions P] [--skip-e2e] [--skip-memory]
///         [--consumer-property K=V …] [--producer-property K=V …] [--otlp]
///     swift run -c release DriftlineBenchmarks --outage [--rate R] [--outages 15,60,120]
///     swift run -c release DriftlineBenchmarks --drift [--records VALUES]
///     swift run -c release DriftlineBenchmarks --embeddings [--records VECTORS]
///     swift run -c release DriftlineBenchmarks --faithfulness [--seconds S] [--workers N] | --model
///     (--no-drift: end-to-end runs without the drift detectors and PSI evaluation)
///
/// 1. decode + validate + aggregate, in memory, one thread, ~1 KB generated records;
/// 2. raw librdkafka consume rate from a mock-cluster topic, produced while consuming (the ceiling);
/// 3. end to end: mock-cluster topic → pipeline → PostgreSQL (DATABASE_URL or a throwaway local
///    server), produced while the pipeline consumes; with the process's peak memory.
@main
struct Benchmarks {
    /// librdkafka properties for the benchmark's consumers and producers (`--consumer-property
    /// K=V`, `--producer-property K=V`), to measure settings without rebuilding.
    nonisolated(unsafe) static var consumerProperties: [String: String] = [:]
    nonisolated(unsafe) static var producerProperties: [String: String] = [:]
    /// `--no-drift`: end-to-end runs without the drift detectors and PSI evaluation, as the
    /// pipeline was before them (for before/after comparisons).
    nonisolated(unsafe) static var driftOff = false

    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        func properties(_ name: String) -> [String: String] {
            var result: [String: String] = [:]
            for (index, argument) in arguments.enumerated() where argument == name && index + 1 < arguments.count {
                let pair = arguments[index + 1].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { result[pair[0]] = pair[1] }
            }
            return result
        }
        // Larger fetches and producer batches: the mock broker, the producer and the consumers
        // share two cores, and per-request overhead, not bytes, is what they spend them on. The
        // raw consumer gets the pipeline's own defaults, so the ceiling is measured like for like.
        consumerProperties = IngestPipeline.consumerDefaults.merging(properties("--consumer-property")) { $1 }
        producerProperties = ["linger.ms": "50", "delivery.report.only.error": "true"]
            .merging(properties("--producer-property")) { $1 }
        driftOff = arguments.contains("--no-drift")
        let records = option("--records", 1_000_000)
        let partitions = Int32(option("--partitions", 8))
        if arguments.contains("--outage") {
            // PostgreSQL killed and restarted under steady traffic (OutageBenchmark.swift).
            let outages = arguments.firstIndex(of: "--outages").flatMap { index in
                index + 1 < arguments.count ? arguments[index + 1].split(separator: ",").compactMap { Int($0) } : nil
            }
            try await OutageBenchmark.run(rate: option("--rate", 2_000), outages: outages ?? [15, 60, 120])
            return
        }
        if arguments.contains("--psi") {
            // PSI over stored aggregates in PostgreSQL (PSIBenchmark.swift).
            try await PSIBenchmark.run(
                groupings: option("--groupings", 20), days: option("--days", 30),
                minuteRowsToo: !arguments.contains("--rolled-only"))
            return
        }
        if arguments.contains("--alerts-page") {
            // Incident to page at a webhook sink through `driftline run` (AlertBenchmark.swift).
            try await PageLatencyBenchmark.run(rate: option("--rate", 500))
            return
        }
        if arguments.contains("--alerts") {
            // Alert evaluation against PostgreSQL (AlertBenchmark.swift).
            try await AlertBenchmark.evaluationCost(groupings: option("--groupings", 50), days: option("--days", 30))
            return
        }
        if arguments.contains("--embeddings") {
            // The embedding-centroid analyser and its rows in PostgreSQL (EmbeddingBenchmark.swift).
            try await EmbeddingBenchmark.run(vectors: option("--records", 500_000))
            return
        }
        if arguments.contains("--faithfulness") {
            // Faithfulness scoring with the shipped model (FaithfulnessBenchmark.swift).
            try FaithfulnessBenchmark.run(
                seconds: Double(option("--seconds", 20)),
                workers: option("--workers", ProcessInfo.processInfo.activeProcessorCount))
            return
        }
        if arguments.contains("--model") {
            // Sentence embeddings and tokenizers of the shipped model (ModelBenchmarks.swift).
            try ModelBenchmarks.run()
            return
        }
        if arguments.contains("--drift") {
            // The drift algorithms alone (DriftBenchmarks.swift).
            try drift(values: option("--records", 10_000_000))
            return
        }
        if arguments.contains("--otlp") {
            // OTLP GenAI spans only (OTLPBenchmarks.swift); --records counts spans.
            try await OTLPBenchmarks.run(
                spans: option("--records", 500_000), partitions: partitions,
                skipEndToEnd: arguments.contains("--skip-e2e"))
            return
        }
        print("Driftline benchmarks — \(records) records, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        // Dense: event times 3 µs apart, as traffic arriving at ~330 k records/s has them, so a
        // flush holds about as many windows as it would in production at that rate.
        let corpus = Corpus(count: records, spacingMicroseconds: 3)
        print(String(format: "corpus: %d records, mean %.0f bytes", corpus.count, corpus.meanBytes))
        if !arguments.contains("--skip-memory") {
            inMemoryFigures(corpus, records: records)
            try pricing(corpus)
            gatewayDecoding()
        }
        if arguments.contains("--skip-e2e") { return }
        try await throughKafka(corpus, partitions: partitions)
    }

    static func inMemoryFigures(_ corpus: Corpus, records: Int) {
        inMemory(corpus, label: "event times 3 µs apart")
        // Sparse: the same records 3 ms apart (50 minutes of event time per million), all held in
        // memory at once: thousands of live windows whose histograms fall out of cache.
        inMemory(Corpus(count: records, spacingMicroseconds: 3_000), label: "event times 3 ms apart")
        foundationComparison(corpus)
    }

    // MARK: 1. In memory

    static func inMemory(_ corpus: Corpus, label: String) {
        let decoder = NativeJSONDecoder(keepText: false, keepEmbedding: false)
        var aggregator = WindowAggregator(dimensions: WindowGrouping(PipelineConfiguration().aggregation))
        let partition = SourcePartition(topic: "bench", partition: 0)
        var failures = 0
        // Warm-up pass over 50 k records, then the measured pass over all of them.
        for index in 0..<min(50_000, corpus.count) {
            corpus.withRecord(index) { bytes in
                if let event = try? decoder.decode(bytes) { aggregator.add(event, from: partition) }
            }
        }
        aggregator.discardUnstored()
        let start = ContinuousClock.now
        let cpuStart = threadCPUSeconds()
        for index in 0..<corpus.count {
            corpus.withRecord(index) { bytes in
                do {
                    aggregator.add(try decoder.decode(bytes), from: partition)
                } catch {
                    failures += 1
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let cpu = threadCPUSeconds() - cpuStart
        // Per CPU-second of the measuring thread as well as per wall-clock second: the first is
        // the per-core rate even when other processes share the machine.
        print(
            "in memory, 1 thread, \(label): "
                + String(
                    format:
                        "decode+validate+aggregate %.0f events/s wall, %.0f events per CPU-second (%.2f µs CPU/event, %d windows, %d rejected)",
                    Double(corpus.count) / elapsed, Double(corpus.count) / cpu, cpu / Double(corpus.count) * 1e6,
                    aggregator.windows.count, failures))
    }

    /// Foundation's JSONSerialization on the same records, decode only, for comparison.
    static func foundationComparison(_ corpus: Corpus) {
        let n = min(50_000, corpus.count)
        var keys = 0
        let start = ContinuousClock.now
        for index in 0..<n {
            corpus.withRecord(index) { bytes in
                if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
                    keys += object.count
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        print(
            String(
                format: "for comparison, Foundation JSONSerialization decode only: %.0f records/s", Double(n) / elapsed)
        )
    }

    // MARK: 2 + 3. Through the mock cluster

    static func throughKafka(_ corpus: Corpus, partitions: Int32) async throws {
        let logger = {
            var logger = Logger(label: "driftline.bench")
            logger.logLevel = .warning
            return logger
        }()
        let cluster = try MockKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("bench.raw", partitions: partitions)
        try cluster.createTopic("bench.pipeline", partitions: partitions)

        // The mock cluster keeps ~5 MB per partition: stay at most ~2 MB a partition ahead.
        let maxAhead = Int(partitions) * 2_000

        // 2. Raw librdkafka consume rate: a consumer that only counts, on the same records.
        let rawCount = SharedCount()
        var rawConfiguration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        rawConfiguration.groupID = "bench-raw"
        rawConfiguration.properties = consumerProperties
        let rawConsumer = try KafkaConsumer(configuration: rawConfiguration, maxBatchSize: 2048, logger: logger)
        try rawConsumer.subscribe(topics: ["bench.raw"])
        let rawElapsed = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await rawConsumer.run(handler: RawCounter(count: rawCount)) }
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            try await produce(
                corpus, topic: "bench.raw", brokers: cluster.bootstrapServers, partitions: partitions,
                maxAhead: maxAhead
            ) {
                rawCount.value
            }
            while rawCount.value < corpus.count { try await Task.sleep(for: .milliseconds(5)) }
            let elapsed = ContinuousClock.now - start
            let cpu = processCPUSeconds() - cpuStart
            rawConsumer.stop()
            try await group.waitForAll()
            return (elapsed, cpu)
        }
        print(
            String(
                format:
                    "raw librdkafka consume (mock cluster, %d partitions, produced while consuming): %.0f records/s; process CPU %.2f µs/record (producer + mock broker + consumer)",
                partitions, Double(corpus.count) / rawElapsed.0.seconds, rawElapsed.1 / Double(corpus.count) * 1e6))

        // 3. End to end into PostgreSQL.
        let (url, local) = try LocalPostgres.databaseURL(environment: ProcessInfo.processInfo.environment)
        defer { local?.stop() }
        let configuration = {
            var configuration = PipelineConfiguration()
            configuration.kafka.brokers = cluster.bootstrapServers
            configuration.kafka.groupID = "bench-\(UUID().uuidString.prefix(8))"
            configuration.kafka.topics = [.init(name: "bench.pipeline", format: .nativeJSON)]
            configuration.flush.intervalSeconds = 1
            if driftOff { configuration.drift = .off }
            configuration.kafka.properties = consumerProperties
            return configuration
        }()
        let rssBefore = peakResidentBytes()
        let (elapsed, statistics) = try await withPostgresClient(url: url, logger: logger) { client in
            let store = AggregateStore(client: client, logger: logger)
            let pipeline = IngestPipeline(configuration: configuration, store: store, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                // Wait for the group join before the clock starts.
                while pipeline.statistics.rebalances == 0 { try await Task.sleep(for: .milliseconds(10)) }
                let start = ContinuousClock.now
                let cpuStart = processCPUSeconds()
                try await produce(
                    corpus, topic: "bench.pipeline", brokers: cluster.bootstrapServers, partitions: partitions,
                    maxAhead: maxAhead
                ) { Int(pipeline.statistics.records + pipeline.statistics.deadLetters) }
                while pipeline.statistics.committedRecords < Int64(corpus.count) {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let elapsed = ContinuousClock.now - start
                let cpu = processCPUSeconds() - cpuStart
                pipeline.stop()
                try await group.waitForAll()
                return ((elapsed, cpu), pipeline.statistics)
            }
        }
        print(
            String(
                format:
                    "end to end (mock cluster → pipeline → PostgreSQL, %d partitions, produced while consuming): %.0f events/s; process CPU %.2f µs/event (PostgreSQL's own not included); %d flushes, %d pauses",
                partitions, Double(corpus.count) / elapsed.0.seconds, elapsed.1 / Double(corpus.count) * 1e6,
                statistics.flushes, statistics.pauses))
        print(
            String(
                format: "peak resident memory of the whole process: %.0f MiB (before the end-to-end run: %.0f MiB)",
                Double(peakResidentBytes()) / 1_048_576, Double(rssBefore) / 1_048_576))
    }

    /// Produces the corpus, staying at most `maxAhead` records ahead of `consumed()`.
    static func produce(
        _ corpus: Corpus, topic: String, brokers: String, partitions: Int32, maxAhead: Int,
        consumed: @Sendable () -> Int
    ) async throws {
        try await produce(
            count: corpus.count, brokers: brokers, maxAhead: maxAhead, consumed: consumed
        ) { producer, index in
            try corpus.withRecord(index) { bytes in
                try producer.send(
                    topic: topic, key: corpus.keys[index], value: bytes, partition: Int32(index % Int(partitions)))
            }
        }
    }

    /// Sends records 0..<count with `send` (which picks the topic and partition), in bursts,
    /// staying at most `maxAhead` records ahead of `consumed()`, then waits for delivery. Tests
    /// and benchmarks send round-robin: keyed partitioning is skewed, and the mock cluster drops
    /// a partition's oldest records beyond ~5 MB.
    static func produce(
        count: Int, brokers: String, maxAhead: Int, consumed: @Sendable () -> Int,
        send: (KafkaProducer, Int) throws -> Void
    ) async throws {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = ["queue.buffering.max.messages": "200000"].merging(producerProperties) { $1 }
        let producer = try KafkaProducer(configuration: configuration)
        var produced = 0
        while produced < count {
            if produced - consumed() >= maxAhead {
                try await Task.sleep(for: .microseconds(200))
                continue
            }
            let end = min(count, produced + min(2000, maxAhead))
            for index in produced..<end { try send(producer, index) }
            produced = end
        }
        try producer.flush(timeout: .seconds(60))
    }

    /// CPU time (user + system) consumed by the whole process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}

/// Generated records in one contiguous buffer (no per-record allocation during measurement).
struct Corpus: Sendable {
    let bytes: [UInt8]
    let offsets: [Int]
    let keys: [[UInt8]]

    /// - Parameter spacingMicroseconds: event time between consecutive records. Traffic that
    ///   arrives at N records/s has 10^6/N µs between events, and so about N × window seconds
    ///   events per window: the spacing decides how many windows (and histograms) are live.
    init(count: Int, spacingMicroseconds: Int64) {
        var generator = TrafficGenerator(seed: 1, malformedRate: 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 1100)
        var offsets = [0]
        var keys: [[UInt8]] = []
        let start: Int64 = 1_764_072_000_000_000
        for index in 0..<count {
            let request = generator.next(startMicroseconds: start + Int64(index) * spacingMicroseconds, into: &bytes)
            offsets.append(bytes.count)
            keys.append(Array(request.key.utf8))
        }
        self.bytes = bytes
        self.offsets = offsets
        self.keys = keys
    }

    var count: Int { offsets.count - 1 }
    var meanBytes: Double { Double(bytes.count) / Double(count) }

    func withRecord<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]]))
        }
    }
}

final class SharedCount: Sendable {
    private let atomic = Atomic<Int>(0)
    var value: Int { atomic.load(ordering: .relaxed) }
    func add(_ n: Int) { atomic.add(n, ordering: .relaxed) }
}

/// A consumer handler that only counts messages and touches their bytes: librdkafka's own delivery rate.
final class RawCounter: KafkaConsumerHandler {
    let count: SharedCount
    var checksum: UInt8 = 0
    init(count: SharedCount) { self.count = count }

    func consume(_ batch: KafkaMessageBatch, from consumer: KafkaConsumer) {
        var n = 0
        for message in batch {
            checksum ^= message.value?.last ?? 0
            n += 1
        }
        count.add(n)
    }
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) throws -> [TopicPartition: Int64] {
        [:]
    }
    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {}
    func tick(consumer: KafkaConsumer) {}
    func consumerError(_ error: KafkaError, consumer: KafkaConsumer) {}
}
