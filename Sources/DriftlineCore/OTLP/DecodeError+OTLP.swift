extension DecodeError.Code {
    /// Bytes that are not a valid protobuf `ExportTraceServiceRequest`.
    public static let malformedProtobuf = DecodeError.Code("malformedProtobuf")
    /// A record in the other OTLP encoding than the one its topic is configured for.
    public static let wrongEncoding = DecodeError.Code("wrongEncoding")
    /// An enum field (span kind, status code) with a number the OTLP protos do not define.
    public static let unknownEnumValue = DecodeError.Code("unknownEnumValue")
    /// A trace or span id of the wrong length, or (OTLP/JSON) not hexadecimal.
    public static let invalidID = DecodeError.Code("invalidID")
}
