extension PipelineConfiguration {
    /// `dead_letters:` — what is kept of a record that could not be used.
    public struct DeadLetterSettings: Codable, Sendable, Equatable {
        /// Bytes of a bad record kept in the dead-letter table; its full size is kept too.
        public var maxPayloadBytes = 64 * 1024

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case maxPayloadBytes = "max_payload_bytes" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            maxPayloadBytes =
                try container.decodeInteger(.maxPayloadBytes, expected: "an integer number of bytes")
                ?? maxPayloadBytes
        }
    }
}
