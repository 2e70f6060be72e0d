/// A record that failed to decode or validate, kept with its coordinates, the reason and its bytes.
public struct DeadLetter: Sendable, Equatable {
    public var partition: SourcePartition
    public var offset: Int64
    public var key: [UInt8]?
    /// Record timestamp in milliseconds since the epoch, when the broker gave one.
    public var timestampMilliseconds: Int64?
    public var errorCode: String
    public var reason: String
    /// The first bytes of the record (capped by configuration); `payloadSize` is the original size.
    public var payload: [UInt8]?
    public var payloadSize: Int

    public init(
        partition: SourcePartition, offset: Int64, key: [UInt8]?, timestampMilliseconds: Int64?, errorCode: String,
        reason: String, payload: [UInt8]?, payloadSize: Int
    ) {
        self.partition = partition
        self.offset = offset
        self.key = key
        self.timestampMilliseconds = timestampMilliseconds
        self.errorCode = errorCode
        self.reason = reason
        self.payload = payload
        self.payloadSize = payloadSize
    }
}
