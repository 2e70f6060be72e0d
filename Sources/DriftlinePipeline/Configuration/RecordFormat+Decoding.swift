extension RecordFormat {
    /// Replaces the raw-value decoding, whose error for `format: avro` does not say what a
    /// format may be, with one that lists them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let format = RecordFormat(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "expected one of \(RecordFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(name)")
        }
        self = format
    }
}
