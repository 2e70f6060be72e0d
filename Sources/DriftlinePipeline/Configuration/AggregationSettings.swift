public import DriftlineCore

extension PipelineConfiguration {
    /// `aggregation:` — the window length and what the aggregates are split by.
    public struct AggregationSettings: Codable, Sendable, Equatable {
        public var windowSeconds = 60
        public var dimensions: [Dimension] = [.model, .provider, .app, .tenant, .environment]
        /// Free-form label keys to split by, in addition to the dimensions.
        public var labels: [String] = []

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case dimensions, labels
            case windowSeconds = "window_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            windowSeconds =
                try container.decodeInteger(.windowSeconds, expected: "an integer number of seconds") ?? windowSeconds
            dimensions = try container.decodeIfPresent([Dimension].self, forKey: .dimensions) ?? dimensions
            labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? labels
        }
    }
}
