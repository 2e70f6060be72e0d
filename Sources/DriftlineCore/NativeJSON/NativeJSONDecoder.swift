/// Decodes and validates one native JSON request-log record (see
/// the README's "Request log format" section and `schemas/llm-request.schema.json`) into an `LLMEvent`.
///
/// A single pass over the bytes that also checks their UTF-8: keys are recognised from
/// their bytes, numbers and timestamps are converted without intermediate strings, and
/// text the caller does not keep is checked but never copied.
///
/// Create one decoder and reuse it: it carries a cache of repeating field values (see
/// `DecoderCache`), about 30 KB, that makes later records cheaper. A decoder may be shared
/// by any number of tasks; concurrent decodes simply run without the cache.
public struct NativeJSONDecoder: RecordDecoder {
    /// Records larger than this are rejected before any parsing.
    public var maxRecordBytes: Int
    /// When false, `prompt`, `response` and `context` are validated but left nil in the
    /// event, which saves allocating and copying them when only metrics are needed.
    public var keepText: Bool
    /// When false, `embedding` is validated but left nil in the event.
    public var keepEmbedding: Bool
    /// When set, a record whose `embedding` has another number of elements is refused
    /// (`invalidValue`, field `embedding`): vectors of one stream must share one dimension.
    public var embeddingDimension: Int?

    /// Shared by copies of this decoder; see `DecoderCache` for why and how.
    private let cache = DecoderCache()

    /// - Parameter keepEmbedding: defaults to `keepText`.
    public init(
        maxRecordBytes: Int = 1 << 20, keepText: Bool = true, keepEmbedding: Bool? = nil,
        embeddingDimension: Int? = nil
    ) {
        self.maxRecordBytes = maxRecordBytes
        self.embeddingDimension = embeddingDimension
        self.keepText = keepText
        self.keepEmbedding = keepEmbedding ?? keepText
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> LLMEvent {
        let scanner = try JSONScanner(record: bytes, maxRecordBytes: maxRecordBytes)
        return try cache.withExclusiveAccess { (cache) throws(DecodeError) in
            var parser = NativeJSONRecordParser(
                scanner: scanner, keepText: keepText, keepEmbedding: keepEmbedding, cache: cache)
            parser.embeddingDimension = embeddingDimension
            return try parser.parseRecord()
        }
    }
}
