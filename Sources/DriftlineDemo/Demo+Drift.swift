import DriftlineCore
import DriftlinePipeline
import DriftlineStore
import Foundation

/// The drift part of the demo: half-way through, one model's requests move to another topic
/// (their embeddings to another cluster) and its answers get longer; at the end the output-token
/// PSI, the online detectors' drift events and the embedding-centroid distances, each per model,
/// read back from PostgreSQL with the pipeline's own evaluators.
extension Demo {
    /// Dimension of the generated embeddings: small, so the records stay about as large as before.
    static let embeddingDimension = 32

    /// Turns embedding drift on in the demo's pipeline and the topic and length shift on in its traffic.
    func configureDrift(_ configuration: inout PipelineConfiguration, plans: inout [TrafficPlan]) {
        var embeddings = PipelineConfiguration.EmbeddingSettings(dimension: Self.embeddingDimension)
        // The scheduled evaluation would not run within the demo: the report evaluates once at the end.
        embeddings.everySeconds = 3_600
        configuration.drift.embeddings = embeddings
        for index in plans.indices {
            if plans[index].format == .nativeJSON { plans[index].embeddingDimension = Self.embeddingDimension }
            plans[index].driftShift = TrafficGenerator.DriftShift(model: driftModel)
        }
    }

    /// The drift report: the periods are the complete windows before the shift and those after it.
    func driftReport(store: AggregateStore, configuration: PipelineConfiguration, started: Date, shiftAt: Date)
        async throws -> String
    {
        let window = Int64(configuration.aggregation.windowSeconds)
        func windowStart(_ date: Date) -> Int64 {
            let seconds = Int64(date.timeIntervalSince1970)
            return seconds - seconds % window
        }
        let reference = windowStart(started)..<windowStart(shiftAt)
        let current = (windowStart(shiftAt) + window)..<(windowStart(Date()) + window)
        let formatter = ISO8601DateFormatter()
        func time(_ seconds: Int64) -> String {
            formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }

        var out = "\nDrift: \(driftModel)'s topic and answer length shift at \(Int(seconds / 2)) s. "
        out += "Reference \(time(reference.lowerBound))..\(time(reference.upperBound)), "
        out += "current \(time(current.lowerBound))..\(time(current.upperBound)).\n"

        out += "\nPSI of output tokens per model (dl_windows histograms, quantile binning):\n\n"
        let psi = try await PSIEvaluator(features: ["output_tokens"], groupBy: [.model]).evaluate(
            store: store, reference: reference, current: current)
        var psiTable = TextTable(columns: ["model", "severity", "PSI", "reference", "current"])
        for result in psi {
            psiTable.add([
                Self.model(of: result.grouping), result.severity, String(format: "%.4f", result.psi),
                "\(result.referenceCount)", "\(result.currentCount)",
            ])
        }
        out += psiTable.render()

        out += "\nDrift events of the online detectors (dl_drift_events), by event time:\n\n"
        let events = try await store.driftEvents(consumerGroup: configuration.kafka.groupID)
        if events.isEmpty {
            out += "  none\n"
        } else {
            var eventTable = TextTable(columns: [
                "model", "signal", "detector", "first detected (UTC)", "from shift", "mean before", "mean after",
                "partitions",
            ])
            for event in events {
                eventTable.add([
                    Self.model(of: event.stream), event.signal, event.detector,
                    formatter.string(from: Date(timeIntervalSince1970: event.firstDetected)),
                    String(format: "%+.1f s", event.firstDetected - shiftAt.timeIntervalSince1970),
                    event.meanBefore.map { String(format: "%.1f", $0) } ?? "–",
                    event.meanAfter.map { String(format: "%.1f", $0) } ?? "–", "\(event.partitions.count)",
                ])
            }
            out += eventTable.render()
        }

        out +=
            "\nEmbedding centroid distance per model (dl_embedding_windows sums, dl_embedding_samples for the MMD):\n\n"
        guard let embeddings = configuration.drift.embeddings else { return out }
        let results = try await EmbeddingDriftEvaluator(embeddings).evaluate(
            store: store, reference: reference, current: current)
        var table = TextTable(columns: ["model", "vectors", "cosine distance", "euclidean", "MMD", "p-value"])
        for result in results {
            table.add([
                Self.model(of: result.grouping), "\(result.referenceCount) / \(result.currentCount)",
                result.cosineDistance.map { String(format: "%.4f", $0) } ?? "–",
                String(format: "%.4f", result.euclideanDistance), result.mmd.map { String(format: "%.4f", $0) } ?? "–",
                result.mmdPValue.map { String(format: "%.4f", $0) } ?? "–",
            ])
        }
        out += table.render()
        return out
    }

    /// `gpt-4o` from `{"model": "gpt-4o"}`.
    static func model(of grouping: String) -> String {
        guard let data = grouping.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String], let model = object["model"]
        else { return grouping }
        return model
    }
}
