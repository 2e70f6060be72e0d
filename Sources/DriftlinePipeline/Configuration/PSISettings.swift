public import DriftlineCore
public import DriftlineStats

extension PipelineConfiguration {
    /// `drift.psi:` — the scheduled PSI evaluation. Every `every_seconds` it compares the last
    /// `current_seconds` of complete windows with a reference: the `reference_seconds` before
    /// them (trailing), or the fixed period `reference_from` … `reference_to` (RFC 3339) when set.
    public struct PSISettings: Codable, Sendable, Equatable {
        public var everySeconds = 300
        public var currentSeconds = 3_600
        public var referenceSeconds = 86_400
        /// A fixed baseline instead of the trailing period, in seconds since the epoch.
        public var fixedReference: Range<Int64>?
        public var groupBy: [DriftlineCore.Dimension] = [.model]
        public var binning: PSIBinning = .quantile
        public var bins = 10
        public var features = ["ttft", "tpot", "latency", "input_tokens", "output_tokens", "finish_reason"]
        public var minor = PSIThresholds.default.minor
        public var major = PSIThresholds.default.major

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case binning, bins, features, minor, major
            case everySeconds = "every_seconds"
            case currentSeconds = "current_seconds"
            case referenceSeconds = "reference_seconds"
            case referenceFrom = "reference_from"
            case referenceTo = "reference_to"
            case groupBy = "group_by"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            everySeconds = try container.decodeInteger(.everySeconds, expected: "a number of seconds") ?? everySeconds
            currentSeconds =
                try container.decodeInteger(.currentSeconds, expected: "a number of seconds") ?? currentSeconds
            referenceSeconds =
                try container.decodeInteger(.referenceSeconds, expected: "a number of seconds") ?? referenceSeconds
            groupBy = try container.decodeIfPresent([DriftlineCore.Dimension].self, forKey: .groupBy) ?? groupBy
            if let name = try container.decodeIfPresent(String.self, forKey: .binning) {
                guard let chosen = PSIBinning(rawValue: name), chosen != .categorical else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .binning, in: container,
                        debugDescription:
                            "expected quantile or sturges (categorical features always use their categories), got \"\(name)\""
                    )
                }
                binning = chosen
            }
            bins = try container.decodeInteger(.bins, expected: "an integer number of bins") ?? bins
            features = try container.decodeIfPresent([String].self, forKey: .features) ?? features
            minor = try container.decodeNumber(.minor, expected: "a PSI value") ?? minor
            major = try container.decodeNumber(.major, expected: "a PSI value") ?? major
            fixedReference = try container.decodeFixedReference(from: .referenceFrom, to: .referenceTo)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(everySeconds, forKey: .everySeconds)
            try container.encode(currentSeconds, forKey: .currentSeconds)
            try container.encode(referenceSeconds, forKey: .referenceSeconds)
            try container.encode(groupBy, forKey: .groupBy)
            try container.encode(binning.rawValue, forKey: .binning)
            try container.encode(bins, forKey: .bins)
            try container.encode(features, forKey: .features)
            try container.encode(minor, forKey: .minor)
            try container.encode(major, forKey: .major)
        }

        /// The thresholds, checked by validation.
        public var thresholds: PSIThresholds { (try? PSIThresholds(minor: minor, major: major)) ?? .default }

        /// The periods of an evaluation at `now` (seconds since the epoch) with windows of
        /// `windowSeconds`: the current one ends at the start of the window holding `now`.
        public func periods(now: Int64, windowSeconds: Int64) -> (reference: Range<Int64>, current: Range<Int64>) {
            ReferencePeriod.periods(
                now: now, windowSeconds: windowSeconds, currentSeconds: currentSeconds,
                referenceSeconds: referenceSeconds, fixed: fixedReference)
        }

        public var evaluator: PSIEvaluator {
            PSIEvaluator(features: features, groupBy: groupBy, binning: binning, binCount: bins, thresholds: thresholds)
        }
    }
}
