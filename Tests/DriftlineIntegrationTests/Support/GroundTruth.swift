import DriftlineDemo
import DriftlineKafka
import DriftlinePipeline

/// What the pipeline must end up storing, computed straight from the generator's values,
/// without Driftline's decoder or aggregator.
struct GroundTruth {
    struct PerModel {
        var requests: Int64 = 0
        var errors: Int64 = 0
        var errorsByType: [String: Int64] = [:]
        var inputTokens: Int64 = 0
        var outputTokens: Int64 = 0
        var cachedInputTokens: Int64 = 0
        var cacheWriteTokens: Int64 = 0
        var reasoningTokens: Int64 = 0
        var ttft: [Double] = []
        var tpot: [Double] = []
        var latency: [Double] = []
    }

    var models: [String: PerModel] = [:]
    var malformed: Int64 = 0
    var total: Int64 = 0

    mutating func add(_ request: TrafficGenerator.GeneratedRequest) {
        total += 1
        if request.malformed {
            malformed += 1
            return
        }
        var m = models[request.model] ?? PerModel()
        m.requests += 1
        if request.isError {
            m.errors += 1
            m.errorsByType[request.errorType ?? "unknown", default: 0] += 1
        }
        m.inputTokens += request.inputTokens
        m.outputTokens += request.outputTokens
        m.cachedInputTokens += request.cachedInputTokens
        m.cacheWriteTokens += request.cacheWriteTokens
        m.reasoningTokens += request.reasoningTokens
        if let ttft = request.ttftMilliseconds { m.ttft.append(ttft) }
        if let tpot = request.tpotMilliseconds { m.tpot.append(tpot) }
        m.latency.append(request.latencyMilliseconds)
        models[request.model] = m
    }

    /// The exact order statistic x_(ceil(q n)) of the data (numpy's "inverted_cdf" quantile).
    static func exactQuantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

/// Produces generated traffic with event times spread over `minutes` of windows and returns the truth.
/// Records go round-robin over `partitions` (keyed partitioning is skewed, and the mock cluster
/// drops a partition's oldest records beyond ~5 MB). From record `incidentFrom` on, the
/// generator's latency incident is on (a shift for the drift detectors to find); `sent` hears
/// every record with its partition, in the order produced.
func produceTraffic(
    brokers: String, topic: String, partitions: Int32 = 8, count: Int, seed: UInt64 = 1, malformedRate: Double = 0,
    textBytes: Int = 0,
    startMicroseconds: Int64 = 1_764_072_000_000_000, minutes: Int64 = 5, incidentFrom: Int? = nil,
    truth: inout GroundTruth, sent: ((Int32, [UInt8]) -> Void)? = nil
) throws {
    var configuration = KafkaConfiguration(bootstrapServers: brokers)
    configuration.properties = ["linger.ms": "5"]
    let producer = try KafkaProducer(configuration: configuration)
    var generator = TrafficGenerator(seed: seed, malformedRate: malformedRate, textBytes: textBytes)
    var record: [UInt8] = []
    let span = minutes * 60_000_000
    for index in 0..<count {
        record.removeAll(keepingCapacity: true)
        // Mostly in order with some records from earlier windows: late events must merge too.
        let offset = Int64(index) * span / Int64(max(count, 1))
        let jitter: Int64 = index % 50 == 0 ? -90_000_000 : 0
        if index == incidentFrom { generator.incident = TrafficGenerator.Incident(model: "gpt-4o") }
        let request = generator.next(startMicroseconds: startMicroseconds + max(0, offset + jitter), into: &record)
        truth.add(request)
        let partition = Int32(index % Int(partitions))
        sent?(partition, record)
        try producer.send(topic: topic, key: Array(request.key.utf8), value: record, partition: partition)
    }
    try producer.flush(timeout: .seconds(60))
}
