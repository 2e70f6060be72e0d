import DriftlineCore
import DriftlineKafka
public import DriftlinePipeline
import Foundation

/// `driftline generate`: produces generated request logs to a topic at a rate, with event times
/// taken from the wall clock, optionally switching a latency incident on part-way through.
public struct TrafficPlan: Sendable {
    public var brokers: String
    public var topic: String
    /// Records to produce; 0 means until the task is cancelled.
    public var count: Int
    /// Records per second; 0 means as fast as the producer takes them.
    public var rate: Double
    public var seed: UInt64
    public var incident: TrafficGenerator.Incident?
    public var incidentAfterSeconds: Double
    public var malformedRate: Double
    public var producerProperties: [String: String]
    /// `native_json`: one request log per record. `otlp_proto` / `otlp_json`: GenAI spans,
    /// `spansPerRecord` to an export batch; a malformed record is a batch cut short.
    /// One of `generatedFormats`.
    public var format: RecordFormat = .nativeJSON
    /// The formats the generator writes; gateway logs are decoded, not generated.
    public static let generatedFormats: [RecordFormat] = [.nativeJSON, .otlpProto, .otlpJSON]
    public var spansPerRecord = 10
    /// Records carry embeddings of this dimension, clustered by topic (nil: none).
    public var embeddingDimension: Int?
    /// A topic and output-length drift switched on with the incident, after `incidentAfterSeconds`.
    public var driftShift: TrafficGenerator.DriftShift?

    public init(
        brokers: String, topic: String, count: Int, rate: Double, seed: UInt64 = 42,
        incident: TrafficGenerator.Incident? = nil, incidentAfterSeconds: Double = 0, malformedRate: Double = 0,
        producerProperties: [String: String] = [:]
    ) {
        self.brokers = brokers
        self.topic = topic
        self.count = count
        self.rate = rate
        self.seed = seed
        self.incident = incident
        self.incidentAfterSeconds = incidentAfterSeconds
        self.malformedRate = malformedRate
        self.producerProperties = producerProperties
    }

    /// Produces the records and returns how many were delivered. `progress` is called about every 5 s.
    public func run(progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = producerProperties
        let producer = try KafkaProducer(configuration: configuration)
        var generator = TrafficGenerator(seed: seed, malformedRate: malformedRate)
        generator.topics = embeddingDimension.map { TrafficGenerator.TopicSpace(dimension: $0, seed: seed) }
        let start = ContinuousClock.now
        var lastReport = start
        var produced = 0
        var record: [UInt8] = []
        record.reserveCapacity(2048)
        let otlpEncoding: OTLPDecoder.Encoding? =
            switch format {
            case .nativeJSON: nil
            case .otlpProto: .protobuf
            case .otlpJSON: .json
            // Not generated (see `generatedFormats`); `driftline generate` refuses them.
            case .litellm, .openAIChat: nil
            }
        var spans: [LLMEvent] = []
        var malformedBatch = false
        while count == 0 || produced < count {
            if Task.isCancelled { break }
            let elapsed = (ContinuousClock.now - start).seconds
            if let incident, generator.incident == nil, elapsed >= incidentAfterSeconds {
                generator.incident = incident
            }
            if let driftShift, generator.driftShift == nil, elapsed >= incidentAfterSeconds {
                generator.driftShift = driftShift
            }
            let due = rate > 0 ? Int(rate * elapsed) + 1 : produced + 1000
            if produced >= due {
                try await Task.sleep(for: .milliseconds(2))
                continue
            }
            let burst = min(due - produced, count == 0 ? Int.max : count - produced, 5000)
            for _ in 0..<burst {
                record.removeAll(keepingCapacity: true)
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                let request = generator.next(startMicroseconds: now, into: &record)
                if let otlpEncoding {
                    spans.append(request.event)
                    malformedBatch = malformedBatch || request.malformed
                    if spans.count >= spansPerRecord {
                        try sendSpans(&spans, malformed: &malformedBatch, encoding: otlpEncoding, producer)
                    }
                } else {
                    try producer.send(topic: topic, key: Array(request.key.utf8), value: record)
                }
            }
            produced += burst
            if ContinuousClock.now - lastReport >= .seconds(5) {
                lastReport = .now
                progress(produced)
            }
        }
        if let otlpEncoding, !spans.isEmpty {
            try sendSpans(&spans, malformed: &malformedBatch, encoding: otlpEncoding, producer)
        }
        try producer.flush(timeout: .seconds(30))
        return produced
    }

    /// Records an OTLP plan of `requests` spans writes.
    public func records(forRequests requests: Int) -> Int {
        format == .nativeJSON ? requests : (requests + spansPerRecord - 1) / spansPerRecord
    }

    private func sendSpans(
        _ spans: inout [LLMEvent], malformed: inout Bool, encoding: OTLPDecoder.Encoding, _ producer: KafkaProducer
    ) throws {
        var bytes = OTLPEncoder(encoding: encoding).encode(
            spans, idSeed: UInt64(bitPattern: spans[0].start.microsecondsSinceEpoch))
        // An export batch cut short, as a truncating proxy leaves it: a dead letter.
        if malformed { bytes.removeLast(min(bytes.count, 5)) }
        // The Collector's Kafka exporter writes no key by default.
        try producer.send(topic: topic, key: nil, value: bytes)
        spans.removeAll(keepingCapacity: true)
        malformed = false
    }
}
