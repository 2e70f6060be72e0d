/// Something ``KafkaProducer`` can send as a key or value without an intermediate copy:
/// librdkafka copies the bytes while `withKafkaBytes` lends them.
public protocol KafkaBytes {
    func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension UnsafeRawBufferPointer: KafkaBytes {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(self)
    }
}

extension UnsafeMutableRawBufferPointer: KafkaBytes {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(self))
    }
}

extension Array: KafkaBytes where Element == UInt8 {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: KafkaBytes where Element == UInt8 {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension ContiguousArray: KafkaBytes where Element == UInt8 {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension String: KafkaBytes {
    /// The UTF-8 bytes; a native Swift string lends its storage, a bridged one is copied first.
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var string = self
        return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

extension Substring: KafkaBytes {
    public func withKafkaBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var substring = self
        return try substring.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
