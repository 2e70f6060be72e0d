extension PipelineConfiguration {
    /// `decoder:` — limits applied to every record before it is decoded.
    public struct DecoderSettings: Codable, Sendable, Equatable {
        public var maxRecordBytes = 1 << 20

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case maxRecordBytes = "max_record_bytes" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            maxRecordBytes =
                try container.decodeInteger(.maxRecordBytes, expected: "an integer number of bytes") ?? maxRecordBytes
        }
    }
}
