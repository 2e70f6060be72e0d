import DriftlineKafka
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
        let start = ContinuousClock.now
        var lastReport = start
        var produced = 0
        var record: [UInt8] = []
        record.reserveCapacity(2048)
        while count == 0 || produced < count {
            if Task.isCancelled { break }
            let elapsed = (ContinuousClock.now - start).seconds
            if let incident, generator.incident == nil, elapsed >= incidentAfterSeconds {
                generator.incident = incident
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
                try producer.send(topic: topic, key: Array(request.key.utf8), value: record)
            }
            produced += burst
            if ContinuousClock.now - lastReport >= .seconds(5) {
                lastReport = .now
                progress(produced)
            }
        }
        try producer.flush(timeout: .seconds(30))
        return produced
    }
}

extension Duration {
    /// The duration in seconds, for rates and reports.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
