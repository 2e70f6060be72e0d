extension PipelineConfiguration.QualitySettings {
    /// `quality.scorer:` — which model scores faithfulness: `reference` (the shipped
    /// all-MiniLM-L6-v2 scorer) or `{cross_encoder: {directory: …}}`, a sequence-classification
    /// model of the user's (an NLI or fact-checking cross-encoder). See docs/faithfulness.md.
    public enum ScorerSettings: Codable, Sendable, Equatable {
        case reference
        case crossEncoder(CrossEncoder)

        /// `quality.scorer.cross_encoder:`.
        public struct CrossEncoder: Codable, Sendable, Equatable {
            /// The model directory: config.json (with `id2label`), model.safetensors, vocab.txt
            /// or tokenizer.json. A relative path is read from the working directory.
            public var directory: String
            /// The label whose probability is the support; nil finds it by name
            /// (CrossEncoderFaithfulnessScorer.supportLabelIndex).
            public var supportLabel: String?
            public var threshold = 0.5
            /// Context chunks read per claim at most.
            public var maxChunks = 64

            public init(directory: String, supportLabel: String? = nil, threshold: Double = 0.5, maxChunks: Int = 64) {
                self.directory = directory
                self.supportLabel = supportLabel
                self.threshold = threshold
                self.maxChunks = maxChunks
            }

            enum CodingKeys: String, CodingKey, CaseIterable {
                case directory, threshold
                case supportLabel = "support_label"
                case maxChunks = "max_chunks"
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                directory = try container.decode(String.self, forKey: .directory)
                supportLabel = try container.decodeIfPresent(String.self, forKey: .supportLabel)
                threshold = try container.decodeNumber(.threshold, expected: "a score in [0, 1]") ?? threshold
                maxChunks =
                    try container.decodeInteger(.maxChunks, expected: "an integer number of chunks") ?? maxChunks
            }
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case crossEncoder = "cross_encoder"
        }

        public init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                guard name == "reference" else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: decoder.codingPath,
                            debugDescription: "expected reference or {cross_encoder: {directory: …}}, got \"\(name)\""))
                }
                self = .reference
                return
            }
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            self = .crossEncoder(try container.decode(CrossEncoder.self, forKey: .crossEncoder))
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .reference:
                var container = encoder.singleValueContainer()
                try container.encode("reference")
            case .crossEncoder(let settings):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(settings, forKey: .crossEncoder)
            }
        }

        func validate(file: String?) throws {
            guard case .crossEncoder(let settings) = self else { return }
            func fail(_ key: String, _ message: String) -> ConfigurationError {
                ConfigurationError(file: file, key: "quality.scorer.cross_encoder.\(key)", message)
            }
            if settings.directory.isEmpty { throw fail("directory", "expected the model's directory") }
            if settings.supportLabel?.isEmpty == true {
                throw fail("support_label", "expected a label name or class index, or leave it out")
            }
            if !(0...1).contains(settings.threshold) {
                throw fail("threshold", "expected a score in [0, 1], got \(settings.threshold)")
            }
            if !(1...4096).contains(settings.maxChunks) {
                throw fail("max_chunks", "expected 1…4096, got \(settings.maxChunks)")
            }
        }
    }
}
