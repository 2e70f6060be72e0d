public import DriftlineCore
public import DriftlineStats

extension PipelineConfiguration {
    /// `drift:` — what drift detection watches. See docs/drift.md.
    public struct DriftSettings: Codable, Sendable, Equatable {
        /// Online detectors over per-event signals; nil (`detectors: off`) runs none.
        public var detectors: DetectorSettings? = DetectorSettings()
        /// The scheduled PSI evaluation; nil (`psi: off`) runs none.
        public var psi: PSISettings? = PSISettings()
        /// Labels whose new values are recorded as change events (`dl_change_events`), beside
        /// new models and model versions, which always are.
        public var changeLabels: [String] = []
        /// Embedding-centroid drift; nil (the default, or `embeddings: off`) runs none.
        public var embeddings: EmbeddingSettings?

        public init() {}

        /// No detectors and no PSI evaluation.
        public static var off: DriftSettings {
            var settings = DriftSettings()
            settings.detectors = nil
            settings.psi = nil
            return settings
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case detectors, psi, embeddings
            case changeLabels = "change_labels"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            if (try? container.decode(String.self, forKey: .detectors)) == "off" {
                detectors = nil
            } else {
                detectors = try container.decodeIfPresent(DetectorSettings.self, forKey: .detectors) ?? detectors
            }
            if (try? container.decode(String.self, forKey: .psi)) == "off" {
                psi = nil
            } else {
                psi = try container.decodeIfPresent(PSISettings.self, forKey: .psi) ?? psi
            }
            changeLabels = try container.decodeIfPresent([String].self, forKey: .changeLabels) ?? changeLabels
            if (try? container.decode(String.self, forKey: .embeddings)) != "off" {
                embeddings = try container.decodeIfPresent(EmbeddingSettings.self, forKey: .embeddings)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let detectors {
                try container.encode(detectors, forKey: .detectors)
            } else {
                try container.encode("off", forKey: .detectors)
            }
            if let psi { try container.encode(psi, forKey: .psi) } else { try container.encode("off", forKey: .psi) }
            try container.encode(changeLabels, forKey: .changeLabels)
            if let embeddings {
                try container.encode(embeddings, forKey: .embeddings)
            } else {
                try container.encode("off", forKey: .embeddings)
            }
        }
    }

    /// `drift.detectors:` — one ADWIN (and Page-Hinkley, when on) per partition, stream and
    /// signal; a stream is one combination of the `stream_by` dimensions' values.
    ///
    /// Page-Hinkley is off unless configured: its threshold is in the signal's own units, and
    /// River's defaults (δ 0.005, λ 50), made for values near 1, fire on almost every window of
    /// millisecond latencies or token counts. ADWIN's test adapts to the signal's variance.
    public struct DetectorSettings: Codable, Sendable, Equatable {
        public var streamBy: [Dimension] = [.model]
        public var signals: [DriftSignal] = [.ttft, .tpot, .error, .outputTokens]
        public var adwin: ADWIN.Configuration = .default
        /// nil: Page-Hinkley off (the default); `page_hinkley: on` uses River's defaults.
        public var pageHinkley: PageHinkley.Configuration?

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case signals, adwin
            case streamBy = "stream_by"
            case pageHinkley = "page_hinkley"
        }

        enum ADWINKeys: String, CodingKey, CaseIterable {
            case delta, clock
            case maxBuckets = "max_buckets"
            case minWindowLength = "min_window_length"
            case gracePeriod = "grace_period"
        }

        enum PageHinkleyKeys: String, CodingKey, CaseIterable {
            case delta, threshold, alpha, mode
            case minInstances = "min_instances"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            streamBy = try container.decodeIfPresent([Dimension].self, forKey: .streamBy) ?? streamBy
            signals = try container.decodeIfPresent([DriftSignal].self, forKey: .signals) ?? signals
            if container.contains(.adwin) {
                let nested = try container.superDecoder(forKey: .adwin).strictContainer(keyedBy: ADWINKeys.self)
                let defaults = ADWIN.Configuration.default
                adwin = try Self.checked(nested) {
                    try ADWIN.Configuration(
                        delta: try nested.decodeNumber(.delta, expected: "a number in (0, 1)") ?? defaults.delta,
                        clock: try nested.decodeInteger(.clock, expected: "an integer") ?? defaults.clock,
                        maxBuckets: try nested.decodeInteger(.maxBuckets, expected: "an integer")
                            ?? defaults.maxBuckets,
                        minWindowLength: try nested.decodeInteger(.minWindowLength, expected: "an integer")
                            ?? defaults.minWindowLength,
                        gracePeriod: try nested.decodeInteger(.gracePeriod, expected: "an integer")
                            ?? defaults.gracePeriod)
                }
            }
            switch try? container.decode(String.self, forKey: .pageHinkley) {
            case "off": pageHinkley = nil
            case "on": pageHinkley = .default
            case .some(let other):
                throw DecodingError.dataCorruptedError(
                    forKey: .pageHinkley, in: container,
                    debugDescription: "expected on, off or the detector's parameters, got \"\(other)\"")
            case nil: break
            }
            if container.contains(.pageHinkley), (try? container.decode(String.self, forKey: .pageHinkley)) == nil {
                let nested = try container.superDecoder(forKey: .pageHinkley)
                    .strictContainer(keyedBy: PageHinkleyKeys.self)
                let defaults = PageHinkley.Configuration.default
                var mode = defaults.mode
                if let name = try nested.decodeIfPresent(String.self, forKey: .mode) {
                    guard let chosen = PageHinkley.Mode(name: name) else {
                        throw DecodingError.dataCorruptedError(
                            forKey: .mode, in: nested, debugDescription: "expected up, down or both, got \"\(name)\"")
                    }
                    mode = chosen
                }
                pageHinkley = try Self.checked(nested) {
                    try PageHinkley.Configuration(
                        minInstances: try nested.decodeInteger(.minInstances, expected: "an integer")
                            ?? defaults.minInstances,
                        delta: try nested.decodeNumber(.delta, expected: "a number") ?? defaults.delta,
                        threshold: try nested.decodeNumber(.threshold, expected: "a number") ?? defaults.threshold,
                        alpha: try nested.decodeNumber(.alpha, expected: "a number in (0, 1]") ?? defaults.alpha,
                        mode: mode)
                }
            }
        }

        /// Runs `make`, turning a parameter out of range into a decoding error at that key.
        private static func checked<Key: CodingKey, T>(_ container: KeyedDecodingContainer<Key>, _ make: () throws -> T)
            throws -> T
        {
            do {
                return try make()
            } catch let error as DriftDetectorConfigurationError {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [AnyCodingKey(stringValue: error.parameter)],
                        debugDescription: "expected \(error.expected), got \(error.value)"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(streamBy, forKey: .streamBy)
            try container.encode(signals, forKey: .signals)
            var nested = container.nestedContainer(keyedBy: ADWINKeys.self, forKey: .adwin)
            try nested.encode(adwin.delta, forKey: .delta)
            try nested.encode(adwin.clock, forKey: .clock)
            try nested.encode(adwin.maxBuckets, forKey: .maxBuckets)
            try nested.encode(adwin.minWindowLength, forKey: .minWindowLength)
            try nested.encode(adwin.gracePeriod, forKey: .gracePeriod)
            if let pageHinkley {
                var nested = container.nestedContainer(keyedBy: PageHinkleyKeys.self, forKey: .pageHinkley)
                try nested.encode(pageHinkley.minInstances, forKey: .minInstances)
                try nested.encode(pageHinkley.delta, forKey: .delta)
                try nested.encode(pageHinkley.threshold, forKey: .threshold)
                try nested.encode(pageHinkley.alpha, forKey: .alpha)
                try nested.encode(pageHinkley.mode.name, forKey: .mode)
            } else {
                try container.encode("off", forKey: .pageHinkley)
            }
        }
    }
}
