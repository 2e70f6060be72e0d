extension PipelineConfiguration {
    /// `flush:` — how often the aggregates are written, and how many may wait.
    public struct FlushSettings: Codable, Sendable, Equatable {
        public var intervalSeconds = 2.0
        /// Flush early when this many rows (windows and cost rows) are pending.
        public var maxPendingWindows = 50_000
        /// The deadline of every store call made by ingest (a flush, reading offsets). A flush
        /// past it is cancelled, counted as failed and retried, so a server that stops answering
        /// never freezes ingest; shutdown takes at most about this long.
        public var timeoutSeconds = 30.0

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case intervalSeconds = "interval_seconds"
            case maxPendingWindows = "max_pending_windows"
            case timeoutSeconds = "timeout_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            intervalSeconds =
                try container.decodeNumber(.intervalSeconds, expected: "a number of seconds") ?? intervalSeconds
            maxPendingWindows =
                try container.decodeInteger(.maxPendingWindows, expected: "an integer number of rows")
                ?? maxPendingWindows
            timeoutSeconds =
                try container.decodeNumber(.timeoutSeconds, expected: "a number of seconds") ?? timeoutSeconds
        }
    }
}
