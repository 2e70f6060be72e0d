public import DriftlineCore

extension PipelineConfiguration {
    /// `drift.embeddings:` — embedding-centroid drift. Off unless configured: it needs the
    /// vectors' dimension, and keeping every event's vector costs decoding time and memory that
    /// pipelines without embeddings should not pay.
    ///
    /// ```yaml
    /// drift:
    ///   embeddings:
    ///     dimension: 384            # required; a record's embedding of another length is a dead letter
    ///     group_by: [model]
    ///     sample_size: 200          # vectors kept per window and grouping, and per period, for the MMD
    ///     permutations: 1000        # for the MMD's p-value; 0: no p-value
    ///     every_seconds: 300        # the periods, as for drift.psi:
    ///     current_seconds: 3600
    ///     reference_seconds: 86400  # or reference_from / reference_to (RFC 3339)
    ///     encode_text: response     # or prompt: events without a vector get one from the shipped encoder
    /// ```
    public struct EmbeddingSettings: Codable, Sendable, Equatable {
        public var dimension: Int
        public var groupBy: [DriftlineCore.Dimension] = [.model]
        public var sampleSize = 200
        /// `MaximumMeanDiscrepancy.defaultPermutations`, as `driftline drift embeddings`.
        public var permutations = 1_000
        public var everySeconds = 300
        public var currentSeconds = 3_600
        public var referenceSeconds = 86_400
        /// A fixed baseline instead of the trailing period, in seconds since the epoch.
        public var fixedReference: Range<Int64>?
        /// Which text of an event without a vector the in-process sentence encoder embeds; nil:
        /// such events add nothing.
        public var encodeText: EmbeddingTextSource?

        /// The largest dimension accepted: 65 536 doubles are 512 KB per window and grouping.
        public static let maxDimension = 65_536
        /// The largest sample: the MMD keeps the kernel of both periods' samples, `N (N − 1) / 2`
        /// doubles, 16 MB at 2 × 1000.
        public static let maxSampleSize = 1_000

        public init(dimension: Int) { self.dimension = dimension }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dimension, permutations
            case groupBy = "group_by"
            case sampleSize = "sample_size"
            case everySeconds = "every_seconds"
            case currentSeconds = "current_seconds"
            case referenceSeconds = "reference_seconds"
            case referenceFrom = "reference_from"
            case referenceTo = "reference_to"
            case encodeText = "encode_text"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            guard let dimension = try container.decodeInteger(.dimension, expected: "the vectors' dimension") else {
                throw DecodingError.keyNotFound(
                    CodingKeys.dimension,
                    .init(
                        codingPath: container.codingPath,
                        debugDescription: "embedding drift needs the vectors' dimension (e.g. dimension: 384)"))
            }
            self.dimension = dimension
            try Self.check(dimension, in: 1...Self.maxDimension, .dimension, container)
            groupBy = try container.decodeIfPresent([DriftlineCore.Dimension].self, forKey: .groupBy) ?? groupBy
            sampleSize = try container.decodeInteger(.sampleSize, expected: "a number of vectors") ?? sampleSize
            try Self.check(sampleSize, in: 2...Self.maxSampleSize, .sampleSize, container)
            permutations =
                try container.decodeInteger(.permutations, expected: "a number of permutations") ?? permutations
            try Self.check(permutations, in: 0...100_000, .permutations, container)
            everySeconds = try container.decodeInteger(.everySeconds, expected: "a number of seconds") ?? everySeconds
            try Self.check(everySeconds, in: 1...Int(Int32.max), .everySeconds, container)
            currentSeconds =
                try container.decodeInteger(.currentSeconds, expected: "a number of seconds") ?? currentSeconds
            try Self.check(currentSeconds, in: 1...Int(Int32.max), .currentSeconds, container)
            referenceSeconds =
                try container.decodeInteger(.referenceSeconds, expected: "a number of seconds") ?? referenceSeconds
            try Self.check(referenceSeconds, in: 1...Int(Int32.max), .referenceSeconds, container)
            fixedReference = try container.decodeFixedReference(from: .referenceFrom, to: .referenceTo)
            if let name = try container.decodeIfPresent(String.self, forKey: .encodeText), name != "off" {
                guard let source = EmbeddingTextSource(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .encodeText, in: container,
                        debugDescription: "expected response, prompt or off, got \"\(name)\"")
                }
                encodeText = source
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(dimension, forKey: .dimension)
            try container.encode(groupBy, forKey: .groupBy)
            try container.encode(sampleSize, forKey: .sampleSize)
            try container.encode(permutations, forKey: .permutations)
            try container.encode(everySeconds, forKey: .everySeconds)
            try container.encode(currentSeconds, forKey: .currentSeconds)
            try container.encode(referenceSeconds, forKey: .referenceSeconds)
            try container.encodeIfPresent(encodeText?.rawValue, forKey: .encodeText)
        }

        /// The periods of an evaluation at `now` (seconds since the epoch) with windows of
        /// `windowSeconds`, as `drift.psi` forms them: the current one ends at the start of the
        /// window holding `now` and lasts `current_seconds`; the reference is the fixed baseline
        /// or the `reference_seconds` before the current period.
        public func periods(now: Int64, windowSeconds: Int64) -> (reference: Range<Int64>, current: Range<Int64>) {
            ReferencePeriod.periods(
                now: now, windowSeconds: windowSeconds, currentSeconds: currentSeconds,
                referenceSeconds: referenceSeconds, fixed: fixedReference)
        }

        private static func check(
            _ value: Int, in range: ClosedRange<Int>, _ key: CodingKeys, _ container: KeyedDecodingContainer<CodingKeys>
        ) throws {
            guard range.contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "expected an integer in \(range.lowerBound)…\(range.upperBound), got \(value)")
            }
        }
    }
}

/// The text of an event that `drift.embeddings.encode_text` embeds when the event has no vector.
public enum EmbeddingTextSource: String, Sendable, Codable, CaseIterable {
    case response, prompt

    /// The event's text of this kind, nil when it has none (or only white space).
    public func text(of event: LLMEvent) -> String? {
        let text: String?
        switch self {
        case .response: text = event.response
        case .prompt: text = event.prompt
        }
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
        return text
    }
}
