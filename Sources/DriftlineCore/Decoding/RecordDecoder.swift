/// A decoder that turns one record's bytes into one `LLMEvent` (native request logs, gateway
/// logs). Conforming types implement the raw-buffer form; the array and string forms come from
/// the extension.
public protocol RecordDecoder: Sendable {
    func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> LLMEvent
}

extension RecordDecoder {
    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> LLMEvent {
        try bytes.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decode(raw) } }.get()
    }

    public func decode(_ text: String) throws(DecodeError) -> LLMEvent {
        var text = text
        return try text.withUTF8 { utf8 in
            Result { () throws(DecodeError) in try decode(UnsafeRawBufferPointer(utf8)) }
        }.get()
    }
}

/// The checks every record decoder (JSON or protobuf) makes before it parses: the record fits
/// the size limit and is not empty. Returns the address of its first byte.
func recordStart(of bytes: UnsafeRawBufferPointer, maxRecordBytes: Int) throws(DecodeError) -> UnsafePointer<UInt8> {
    guard bytes.count <= maxRecordBytes else {
        throw DecodeError(.oversized, reason: "record is \(bytes.count) bytes, over the \(maxRecordBytes)-byte limit")
    }
    guard let base = bytes.baseAddress, bytes.count > 0 else {
        throw DecodeError(.empty, reason: "record is empty")
    }
    return base.assumingMemoryBound(to: UInt8.self)
}
