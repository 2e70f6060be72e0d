/// Where notifications go. Comes from configuration and the environment, never from `alerts/`.
public struct WebhookReceiver: Hashable, Sendable {
    public var name: String
    public var url: String
    /// HMAC secret; bodies are signed when set (see ``WebhookSigner``).
    public var secret: String?
    /// Deadline of one attempt, connection included.
    public var timeout: Duration

    public init(name: String, url: String, secret: String? = nil, timeout: Duration = .seconds(10)) {
        self.name = name
        self.url = url
        self.secret = secret
        self.timeout = timeout
    }
}
