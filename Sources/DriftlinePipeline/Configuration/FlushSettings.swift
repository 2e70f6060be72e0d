extension PipelineConfiguration {
    /// `flush:` — how often the aggregates are written, and how many may wait.
    public struct FlushSettings: Codable, Sendable, Equatable {
        public var intervalSeconds = 2.0
        /// Flush early when this many rows (windows and cost rows) are pending.
        public var maxPendingWindows = 50_000

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case intervalSeconds = "interval_seconds"
            case maxPendingWindows = "max_pending_windows"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            intervalSeconds =
                try container.decodeNumber(.intervalSeconds, expected: "a number of seconds") ?? intervalSeconds
            maxPendingWindows =
                try container.decodeInteger(.maxPendingWindows, expected: "an integer number of rows")
                ?? maxPendingWindows
        }
    }
}
