import DriftlineCore
import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import Foundation

/// The demo's quality plane: grounded responses with retrieved context (some unsupported: a
/// number changed, an entity added), sampled and scored by the faithfulness scorer while the
/// rest of the demo runs; at the end the hallucination rate per model with its Wilson 95 %
/// interval, read back from `dl_quality_samples`, and the flagged sample with the lowest score.
extension Demo {
    /// Sampling for the demo: a tenth of ordinary responses, every one with negative feedback.
    static var qualitySettings: PipelineConfiguration.QualitySettings {
        var settings = PipelineConfiguration.QualitySettings()
        settings.rates.base = 0.25
        settings.rates.feedback = 1
        settings.newVersionEvents = 20
        settings.queueCapacity = 500
        return settings
    }

    /// Produces `count` grounded request logs to `topic`, spread over the last minute; returns
    /// per model how many of each kind were generated.
    static func produceGroundedTraffic(brokers: String, topic: String, count: Int, seed: UInt64) throws
        -> [String: [GroundedResponseGenerator.Kind: Int]]
    {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties = ["linger.ms": "5"]
        let producer = try KafkaProducer(configuration: configuration)
        var generator = GroundedResponseGenerator(seed: seed)
        let encoder = NativeJSONEncoder()
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        var generated: [String: [GroundedResponseGenerator.Kind: Int]] = [:]
        for index in 0..<count {
            let (event, kind) = generator.next(startMicroseconds: now - Int64(count - index) * 50_000)
            generated[event.model, default: [:]][kind, default: 0] += 1
            try producer.send(topic: topic, key: Array((event.requestID ?? "").utf8), value: encoder.encode(event))
        }
        try producer.flush(timeout: .seconds(30))
        return generated
    }

    /// Waits (at most `timeout`) until the scorer has taken everything queued.
    static func waitForScoring(_ pipeline: IngestPipeline, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while let queue = pipeline.scoringQueue, queue.accepting, queue.depth > 0 || queue.taken > scored(pipeline),
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private static func scored(_ pipeline: IngestPipeline) -> Int64 {
        guard let statistics = pipeline.scoringStatistics else { return 0 }
        return statistics.faithful + statistics.unfaithful + statistics.errors + statistics.alreadyStored
            + statistics.unstored
    }

    static func qualityReport(
        store: AggregateStore, pipeline: IngestPipeline, since: Int64,
        generated: [String: [GroundedResponseGenerator.Kind: Int]]
    ) async throws -> String {
        let rates = try await store.qualityRates(by: .model, since: since)
        var out = "\nHallucination rate per model (dl_quality_samples, weighted by 1/rate, Wilson 95 % interval):\n\n"
        var table = TextTable(columns: [
            "model", "scored", "flagged", "rate", "95 % interval", "generated unsupported",
        ])
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "-" }
        for rate in rates {
            let kinds = generated[rate.group] ?? [:]
            let total = kinds.values.reduce(0, +)
            let unsupported = total - (kinds[.supported] ?? 0)
            table.add([
                rate.group, "\(rate.scored)", "\(rate.flagged)", percent(rate.rate),
                "\(percent(rate.lower)) – \(percent(rate.upper))",
                total > 0 ? "\(unsupported)/\(total) (\(percent(Double(unsupported) / Double(total))))" : "-",
            ])
        }
        out += table.render()
        if let queue = pipeline.scoringQueue, let statistics = pipeline.scoringStatistics {
            out +=
                "\nscorer: \(statistics.faithful) faithful, \(statistics.unfaithful) flagged, \(statistics.errors) errors; "
                + "queue depth \(queue.depth)/\(queue.capacity), \(queue.abandoned) abandoned at shutdown\n"
        }
        if let flagged = try await store.lowestFlaggedSample(since: since) {
            out += "\nA flagged sample (\(flagged.model), request \(flagged.requestID), score "
            out += String(format: "%.2f", flagged.score) + "):\n"
            out += "  weakest sentence:   \(flagged.weakestSentence ?? "-")\n"
            out += "  best context match: \(flagged.bestContextMatch ?? "-")\n"
            if !flagged.unsupportedTerms.isEmpty {
                out += "  unsupported terms:  \(flagged.unsupportedTerms.joined(separator: ", "))\n"
            }
        }
        return out
    }
}
