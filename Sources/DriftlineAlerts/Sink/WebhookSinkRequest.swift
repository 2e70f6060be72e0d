/// One HTTP request as the sink's state sees it: read in full (up to the body limit) before it is judged.
public struct WebhookSinkRequest: Hashable, Sendable {
    public var method: String
    /// The request target without its query, e.g. `/hook`.
    public var path: String
    /// Header names in lower case; the last value of a repeated header wins.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The body passed the limit; `body` then holds nothing.
    public var bodyTooLarge: Bool

    public init(
        method: String, path: String, headers: [String: String] = [:], body: [UInt8] = [], bodyTooLarge: Bool = false
    ) {
        self.method = method
        self.path = path
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
