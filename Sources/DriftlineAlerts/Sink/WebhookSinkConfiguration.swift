/// How a ``WebhookSink`` listens and what it accepts.
public struct WebhookSinkConfiguration: Hashable, Sendable {
    public var host: String
    /// 0 binds an ephemeral port; ``WebhookSink/port`` then says which.
    public var port: Int
    /// HMAC secret; when set, every notification must carry a valid ``WebhookSigner`` signature.
    public var secret: [UInt8]?
    /// Oldest (and furthest in the future) signature timestamp accepted, so a captured request cannot be replayed
    /// later.
    public var maximumAge: Duration
    /// Answer 503 to this many POSTs first, so that a sender's retries can be shown and tested.
    public var failFirst: Int
    /// Larger bodies are answered 413.
    public var maximumBodyBytes: Int
    /// Append one JSON line per accepted notification to this file (see ``ReceivedNotification``).
    public var recordFile: String?

    public init(
        host: String = "127.0.0.1", port: Int = 9095, secret: [UInt8]? = nil, maximumAge: Duration = .seconds(300),
        failFirst: Int = 0, maximumBodyBytes: Int = 1 << 20, recordFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.secret = secret
        self.maximumAge = maximumAge
        self.failFirst = failFirst
        self.maximumBodyBytes = maximumBodyBytes
        self.recordFile = recordFile
    }
}
