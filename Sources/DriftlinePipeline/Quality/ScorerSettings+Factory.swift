import DriftlineModel
import Foundation

extension PipelineConfiguration.QualitySettings.ScorerSettings {
    /// Makes the configured scorer; the scoring service calls it on its own task, so that a
    /// model that takes seconds to load never delays ingest. `driftline run` and the demo both
    /// get their scorer here.
    public var factory: FaithfulnessScorerFactory {
        switch self {
        case .reference:
            // Found without configuration: DRIFTLINE_MODEL_DIR, else the installed package.
            return { try ReferenceFaithfulnessScorer(directory: try ReferenceModelLocator().locate()) }
        case .crossEncoder(let settings):
            return {
                try CrossEncoderFaithfulnessScorer(
                    directory: URL(fileURLWithPath: settings.directory),
                    settings: .init(
                        supportLabel: settings.supportLabel, threshold: settings.threshold,
                        maxChunks: settings.maxChunks))
            }
        }
    }

    /// What can be checked at start without loading a model: the cross-encoder's directory
    /// holds config.json, model.safetensors and a tokenizer file, and config.json's labels name
    /// a support label (or `support_label` is one of them). The reference model is looked for
    /// when scoring starts, as it is optional: without it samples are shed as `no_scorer`.
    public func check() throws {
        guard case .crossEncoder(let settings) = self else { return }
        let key = "quality.scorer.cross_encoder"
        let directory = URL(fileURLWithPath: settings.directory)
        func exists(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
        }
        for name in ["config.json", "model.safetensors"] where !exists(name) {
            throw ConfigurationError(
                file: nil, key: "\(key).directory", "no \(name) in \(directory.path) (a sequence-classification model)")
        }
        if !exists("tokenizer.json") && !exists("vocab.txt") {
            throw ConfigurationError(
                file: nil, key: "\(key).directory", "no tokenizer.json or vocab.txt in \(directory.path)")
        }
        let labels: [String]
        do { labels = try EncoderConfiguration(directory: directory).labels } catch {
            throw ConfigurationError(file: nil, key: "\(key).directory", "\(error)")
        }
        do {
            _ = try CrossEncoderFaithfulnessScorer.supportLabelIndex(labels: labels, override: settings.supportLabel)
        } catch {
            throw ConfigurationError(file: nil, key: "\(key).support_label", "\(error.message) in \(directory.path)")
        }
    }
}
