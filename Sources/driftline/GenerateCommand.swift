import ArgumentParser
import DriftlineDemo
import DriftlinePipeline
import Foundation

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Produce realistic LLM request logs to a Kafka topic (several models, tenants, errors, an optional latency incident)."
    )

    @Option(name: .long, help: "Kafka bootstrap servers (KAFKA_BROKERS).")
    var brokers: String = ProcessInfo.processInfo.environment["KAFKA_BROKERS"] ?? "127.0.0.1:9092"
    @Option(name: .long, help: "Topic to produce to.")
    var topic: String = "llm.requests"
    @Option(name: .long, help: "Records to produce (0: until interrupted).")
    var count: Int = 10_000
    @Option(name: .long, help: "Records per second (0: as fast as possible).")
    var rate: Double = 1000
    @Option(name: .long, help: "Random seed (the same seed gives the same traffic).")
    var seed: UInt64 = 42
    @Option(name: .long, help: "Model that suffers a latency incident.")
    var incidentModel: String?
    @Option(name: .long, help: "TTFT/TPOT multiplier during the incident.")
    var incidentFactor: Double = 5
    @Option(name: .long, help: "Seconds after the start when the incident begins.")
    var incidentAfter: Double = 0
    @Option(name: .long, help: "Share of records written malformed on purpose (they go to the dead letters).")
    var malformedRate: Double = 0
    @Option(
        name: .long,
        help: "Record format: native_json, otlp_proto or otlp_json (OTLP: GenAI spans, --spans-per-record to a batch).")
    var format: String = "native_json"
    @Option(name: .long, help: "Spans per OTLP export batch.")
    var spansPerRecord: Int = 10
    @Option(
        name: .customLong("property"), parsing: .upToNextOption,
        help: "librdkafka producer property key=value (repeatable).")
    var properties: [String] = []

    func run() async throws {
        var extra: [String: String] = [:]
        for property in properties {
            guard let equals = property.firstIndex(of: "=") else {
                throw ValidationError("--property expects key=value, got '\(property)'")
            }
            extra[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        guard let recordFormat = RecordFormat(rawValue: format), TrafficPlan.generatedFormats.contains(recordFormat)
        else {
            throw ValidationError("--format expects native_json, otlp_proto or otlp_json, got '\(format)'")
        }
        guard spansPerRecord >= 1 else { throw ValidationError("--spans-per-record must be at least 1") }
        var plan = TrafficPlan(
            brokers: brokers, topic: topic, count: count, rate: rate, seed: seed,
            incident: incidentModel.map { .init(model: $0, factor: incidentFactor) },
            incidentAfterSeconds: incidentAfter,
            malformedRate: malformedRate, producerProperties: extra)
        plan.format = recordFormat
        plan.spansPerRecord = spansPerRecord
        let produced = try await plan.run { progress in
            print("produced \(progress) records")
        }
        print("done: \(produced) requests in \(plan.records(forRequests: produced)) records to \(topic)")
    }
}
