extension PipelineConfiguration {
    /// `quality:` — which responses are sampled for faithfulness scoring, at what rates, and how
    /// much scoring work may wait. See docs/quality.md.
    public struct QualitySettings: Codable, Sendable, Equatable {
        /// The rates of the sampling strata; `overrides` replace some of them for an app or model.
        public var rates = StratumRates()
        /// Whether an event without retrieved context is grounded on its prompt instead (and so
        /// eligible); off, such events are counted as ineligible.
        public var groundOnPrompt = false
        /// Feedback is negative when its score is below this (on the producer's scale: −1/+1 and
        /// 0…1 scales both put their negative end below 0.5) or its label is in `negativeLabels`.
        public var negativeFeedbackBelow = 0.5
        public var negativeLabels = ["thumbs_down", "negative", "bad", "dislike", "incorrect"]
        /// An event whose response's mean token log-probability (`logprob_mean`) is below this
        /// goes to the `low_logprob` stratum; events without one never do.
        public var lowLogprobBelow = -1.0
        /// Finish reasons that boost an event into the `finish_reason` stratum.
        public var finishReasons = ["length", "content_filter"]
        /// The first this many events of each model version, per partition, go to the
        /// `new_version` stratum.
        public var newVersionEvents = 200
        /// Samples waiting for the scorer at most; more are shed (`queue_full`).
        public var queueCapacity = 1_000
        /// Scoring tasks; each scores one sample at a time on the CPU.
        public var workers = 1
        /// Response plus context longer than this (UTF-8 bytes) is shed (`too_long`) rather than
        /// queued, which bounds the queue's memory to about capacity × this.
        public var maxTextBytes = 65_536
        /// Rates for events of one app and/or model; the first match wins.
        public var overrides: [Override] = []
        /// The model that scores (``ScorerSettings``); the shipped reference scorer by default.
        public var scorer = ScorerSettings.reference

        public init() {}

        /// One rate per stratum, each in [0, 1]; an event's stratum is the first that applies in
        /// the order feedback, low log-probability, finish reason, new version, base.
        public struct StratumRates: Codable, Sendable, Equatable {
            public var base = 0.01
            public var feedback = 1.0
            public var lowLogprob = 0.5
            public var finishReason = 0.5
            public var newVersion = 0.5

            public init() {}

            public func rate(of stratum: QualityStratum) -> Double {
                switch stratum {
                case .base: base
                case .feedback: feedback
                case .lowLogprob: lowLogprob
                case .finishReason: finishReason
                case .newVersion: newVersion
                }
            }
        }

        /// `quality.overrides[]`: rates for an app and/or a model.
        public struct Override: Codable, Sendable, Equatable {
            public var app: String?
            public var model: String?
            public var baseRate: Double?
            public var feedbackRate: Double?
            public var lowLogprobRate: Double?
            public var finishReasonRate: Double?
            public var newVersionRate: Double?

            public init(
                app: String? = nil, model: String? = nil, baseRate: Double? = nil, feedbackRate: Double? = nil,
                lowLogprobRate: Double? = nil, finishReasonRate: Double? = nil, newVersionRate: Double? = nil
            ) {
                self.lowLogprobRate = lowLogprobRate
                self.app = app
                self.model = model
                self.baseRate = baseRate
                self.feedbackRate = feedbackRate
                self.finishReasonRate = finishReasonRate
                self.newVersionRate = newVersionRate
            }

            enum CodingKeys: String, CodingKey, CaseIterable {
                case app, model
                case baseRate = "base_rate"
                case feedbackRate = "feedback_rate"
                case lowLogprobRate = "low_logprob_rate"
                case finishReasonRate = "finish_reason_rate"
                case newVersionRate = "new_version_rate"
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
                app = try container.decodeIfPresent(String.self, forKey: .app)
                model = try container.decodeIfPresent(String.self, forKey: .model)
                baseRate = try container.decodeNumber(.baseRate, expected: "a rate in [0, 1]")
                feedbackRate = try container.decodeNumber(.feedbackRate, expected: "a rate in [0, 1]")
                lowLogprobRate = try container.decodeNumber(.lowLogprobRate, expected: "a rate in [0, 1]")
                finishReasonRate = try container.decodeNumber(.finishReasonRate, expected: "a rate in [0, 1]")
                newVersionRate = try container.decodeNumber(.newVersionRate, expected: "a rate in [0, 1]")
            }

            func matches(app: String, model: String) -> Bool {
                (self.app == nil || self.app == app) && (self.model == nil || self.model == model)
            }

            func applied(to rates: StratumRates) -> StratumRates {
                var rates = rates
                rates.base = baseRate ?? rates.base
                rates.feedback = feedbackRate ?? rates.feedback
                rates.lowLogprob = lowLogprobRate ?? rates.lowLogprob
                rates.finishReason = finishReasonRate ?? rates.finishReason
                rates.newVersion = newVersionRate ?? rates.newVersion
                return rates
            }
        }

        /// The rates for an event of `app` and `model`.
        public func rates(app: String, model: String) -> StratumRates {
            overrides.first { $0.matches(app: app, model: model) }?.applied(to: rates) ?? rates
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case overrides, workers, scorer
            case baseRate = "base_rate"
            case feedbackRate = "feedback_rate"
            case lowLogprobRate = "low_logprob_rate"
            case lowLogprobBelow = "low_logprob_below"
            case finishReasonRate = "finish_reason_rate"
            case newVersionRate = "new_version_rate"
            case groundOnPrompt = "ground_on_prompt"
            case negativeFeedbackBelow = "negative_feedback_below"
            case negativeLabels = "negative_feedback_labels"
            case finishReasons = "finish_reasons"
            case newVersionEvents = "new_version_events"
            case queueCapacity = "queue_capacity"
            case maxTextBytes = "max_text_bytes"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            let rate = "a rate in [0, 1]"
            rates.base = try container.decodeNumber(.baseRate, expected: rate) ?? rates.base
            rates.feedback = try container.decodeNumber(.feedbackRate, expected: rate) ?? rates.feedback
            rates.lowLogprob = try container.decodeNumber(.lowLogprobRate, expected: rate) ?? rates.lowLogprob
            lowLogprobBelow =
                try container.decodeNumber(.lowLogprobBelow, expected: "a log-probability ≤ 0") ?? lowLogprobBelow
            rates.finishReason = try container.decodeNumber(.finishReasonRate, expected: rate) ?? rates.finishReason
            rates.newVersion = try container.decodeNumber(.newVersionRate, expected: rate) ?? rates.newVersion
            groundOnPrompt = try container.decodeIfPresent(Bool.self, forKey: .groundOnPrompt) ?? groundOnPrompt
            negativeFeedbackBelow =
                try container.decodeNumber(.negativeFeedbackBelow, expected: "a feedback score")
                ?? negativeFeedbackBelow
            negativeLabels = try container.decodeIfPresent([String].self, forKey: .negativeLabels) ?? negativeLabels
            finishReasons = try container.decodeIfPresent([String].self, forKey: .finishReasons) ?? finishReasons
            newVersionEvents =
                try container.decodeInteger(.newVersionEvents, expected: "an integer number of events")
                ?? newVersionEvents
            queueCapacity =
                try container.decodeInteger(.queueCapacity, expected: "an integer number of samples") ?? queueCapacity
            workers = try container.decodeInteger(.workers, expected: "an integer number of tasks") ?? workers
            maxTextBytes =
                try container.decodeInteger(.maxTextBytes, expected: "an integer number of bytes") ?? maxTextBytes
            overrides = try container.decodeIfPresent([Override].self, forKey: .overrides) ?? overrides
            scorer = try container.decodeIfPresent(ScorerSettings.self, forKey: .scorer) ?? scorer
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rates.base, forKey: .baseRate)
            try container.encode(rates.feedback, forKey: .feedbackRate)
            try container.encode(rates.lowLogprob, forKey: .lowLogprobRate)
            try container.encode(lowLogprobBelow, forKey: .lowLogprobBelow)
            try container.encode(rates.finishReason, forKey: .finishReasonRate)
            try container.encode(rates.newVersion, forKey: .newVersionRate)
            try container.encode(groundOnPrompt, forKey: .groundOnPrompt)
            try container.encode(negativeFeedbackBelow, forKey: .negativeFeedbackBelow)
            try container.encode(negativeLabels, forKey: .negativeLabels)
            try container.encode(finishReasons, forKey: .finishReasons)
            try container.encode(newVersionEvents, forKey: .newVersionEvents)
            try container.encode(queueCapacity, forKey: .queueCapacity)
            try container.encode(workers, forKey: .workers)
            try container.encode(maxTextBytes, forKey: .maxTextBytes)
            try container.encode(overrides, forKey: .overrides)
            try container.encode(scorer, forKey: .scorer)
        }

        func validate(file: String?) throws {
            func fail(_ key: String, _ message: String) -> ConfigurationError {
                ConfigurationError(file: file, key: "quality.\(key)", message)
            }
            func checkRate(_ key: String, _ value: Double?) throws {
                guard let value else { return }
                if !(0...1).contains(value) { throw fail(key, "expected a rate in [0, 1], got \(value)") }
            }
            try checkRate("base_rate", rates.base)
            try checkRate("feedback_rate", rates.feedback)
            try checkRate("low_logprob_rate", rates.lowLogprob)
            if !(lowLogprobBelow.isFinite && lowLogprobBelow <= 0) {
                throw fail("low_logprob_below", "expected a log-probability ≤ 0, got \(lowLogprobBelow)")
            }
            try checkRate("finish_reason_rate", rates.finishReason)
            try checkRate("new_version_rate", rates.newVersion)
            if newVersionEvents < 0 { throw fail("new_version_events", "expected 0 or more, got \(newVersionEvents)") }
            if !(1...1_000_000).contains(queueCapacity) {
                throw fail("queue_capacity", "expected 1…1000000, got \(queueCapacity)")
            }
            if !(1...64).contains(workers) { throw fail("workers", "expected 1…64, got \(workers)") }
            if maxTextBytes < 1 { throw fail("max_text_bytes", "expected a positive number, got \(maxTextBytes)") }
            for (index, override) in overrides.enumerated() {
                let key = "overrides[\(index)]"
                if override.app == nil && override.model == nil {
                    throw fail(key, "expected app, model or both to match on")
                }
                try checkRate("\(key).base_rate", override.baseRate)
                try checkRate("\(key).feedback_rate", override.feedbackRate)
                try checkRate("\(key).low_logprob_rate", override.lowLogprobRate)
                try checkRate("\(key).finish_reason_rate", override.finishReasonRate)
                try checkRate("\(key).new_version_rate", override.newVersionRate)
            }
            try scorer.validate(file: file)
        }
    }
}

/// Which stratum of the sampling design an eligible event belongs to; each is sampled at its own
/// rate, and a sample's weight is 1 / that rate.
public enum QualityStratum: String, Sendable, Hashable, CaseIterable, Comparable {
    case base
    case feedback
    case lowLogprob = "low_logprob"
    case finishReason = "finish_reason"
    case newVersion = "new_version"

    public static func < (a: QualityStratum, b: QualityStratum) -> Bool { a.rawValue < b.rawValue }
}
