extension PipelineConfiguration {
    /// One entry of `kafka.topics`: a topic and the format of its records.
    public struct TopicSettings: Codable, Sendable, Equatable {
        public var name: String
        public var format: RecordFormat

        public init(name: String, format: RecordFormat) {
            self.name = name
            self.format = format
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, format }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            format = try container.decodeIfPresent(RecordFormat.self, forKey: .format) ?? .defaultFormat(ofTopic: name)
        }
    }
}
