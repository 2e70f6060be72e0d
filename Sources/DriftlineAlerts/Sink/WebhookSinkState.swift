public import Foundation

/// What the webhook sink answers, as a value: a request read in full and the time come in, an action comes out.
/// ``WebhookSink`` is the driver that does the I/O; this type is tested without a socket.
///
/// A POST is judged in this order, and the first failing check answers:
/// 1. the first `failFirst` POSTs are answered 503 (an outage on purpose: the sender must retry);
/// 2. a body over the limit: 413;
/// 3. with a secret, the ``WebhookSigner`` headers: missing, a timestamp older (or further ahead) than
///    `maximumAge`, or a signature that does not match the timestamp and body: 401;
/// 4. a body that is not an Alertmanager webhook, version 4: 400 with the reason;
/// 5. an `Idempotency-Key` already accepted: 200, but a duplicate, not recorded again;
/// 6. otherwise the notification is recorded, and only then answered 200, so a sender never hears "delivered"
///    for a notification that was not kept.
///
/// `GET /healthz` answers 200 `ok`; any other method is answered 405.
public struct WebhookSinkState: Sendable {
    public struct Response: Hashable, Sendable {
        public var status: Int
        public var body: String
        public var headers: [String: String]
        /// What to log; nil for health checks.
        public var event: WebhookSinkEvent?

        public init(status: Int, body: String, headers: [String: String] = [:], event: WebhookSinkEvent?) {
            self.status = status
            self.body = body
            self.headers = headers
            self.event = event
        }
    }

    public enum Action: Hashable, Sendable {
        case respond(Response)
        /// Keep the notification (append it to the record file, if any), then call ``recorded(_:)``, or
        /// ``recordFailed(_:reason:)`` when it could not be kept. The driver does both under one lock, so no other
        /// request with the same key is judged in between.
        case record(ReceivedNotification)
    }

    /// The header ``OutboxSender`` sends with the outbox id, the same on every retry.
    public static let idempotencyKeyHeader = WebhookReceiver.idempotencyKeyHeader

    private let signer: WebhookSigner?
    private let maximumAge: Duration
    private let failFirst: Int
    /// POSTs answered 503 on purpose so far.
    public private(set) var failed = 0
    public private(set) var acceptedKeys: Set<String> = []
    /// Notifications accepted and recorded, duplicates not counted.
    public private(set) var acceptedCount = 0

    public init(configuration: WebhookSinkConfiguration) {
        self.signer = configuration.secret.map { WebhookSigner(secret: $0) }
        self.maximumAge = configuration.maximumAge
        self.failFirst = configuration.failFirst
    }

    public mutating func receive(_ request: WebhookSinkRequest, at now: Date) -> Action {
        let key = request.header(Self.idempotencyKeyHeader)
        func refuse(_ kind: WebhookSinkEvent.Kind, _ status: Int, _ reason: String) -> Action {
            let refusal = WebhookSinkEvent.Refusal(
                kind: kind, receivedAt: now, status: status, reason: reason, idempotencyKey: key)
            return .respond(Response(status: status, body: "\(reason)\n", event: .refused(refusal)))
        }
        guard request.method == "POST" else {
            if request.method == "GET" && request.path == "/healthz" {
                return .respond(Response(status: 200, body: "ok\n", event: nil))
            }
            let refusal = WebhookSinkEvent.Refusal(
                kind: .methodNotAllowed, receivedAt: now, status: 405,
                reason: "\(request.method) \(Self.brief(request.path)): only POST (and GET /healthz) is served")
            return .respond(
                Response(
                    status: 405, body: "\(refusal.reason)\n", headers: ["Allow": "POST"], event: .refused(refusal)))
        }
        if failed < failFirst {
            failed += 1
            return refuse(.failing, 503, "failing on purpose (\(failed) of \(failFirst))")
        }
        if request.bodyTooLarge {
            return refuse(.tooLarge, 413, "body larger than the limit")
        }
        if let signer {
            if let reason = Self.signatureProblem(request, signer: signer, now: now, maximumAge: maximumAge) {
                return refuse(.rejected, 401, reason)
            }
        }
        let payload: WebhookPayload
        switch Self.parse(request.body) {
        case .success(let parsed): payload = parsed
        case .failure(let failure): return refuse(.malformed, 400, failure.reason)
        }
        let notification = ReceivedNotification(
            receivedAt: now, idempotencyKey: key, signatureVerified: signer != nil, payload: payload)
        if let key, acceptedKeys.contains(key) {
            return .respond(Response(status: 200, body: "duplicate\n", event: .duplicate(notification)))
        }
        return .record(notification)
    }

    /// The notification was kept: it counts, and its key makes later deliveries duplicates.
    public mutating func recorded(_ notification: ReceivedNotification) -> Response {
        if let key = notification.idempotencyKey { acceptedKeys.insert(key) }
        acceptedCount += 1
        return Response(status: 200, body: "accepted\n", event: .accepted(notification))
    }

    /// The notification could not be kept: 500, so the sender tries again; its key stays new.
    public func recordFailed(_ notification: ReceivedNotification, reason: String) -> Response {
        let refusal = WebhookSinkEvent.Refusal(
            kind: .notRecorded, receivedAt: notification.receivedAt, status: 500, reason: "not recorded: \(reason)",
            idempotencyKey: notification.idempotencyKey)
        return Response(status: 500, body: "not recorded\n", event: .refused(refusal))
    }

    static func signatureProblem(
        _ request: WebhookSinkRequest, signer: WebhookSigner, now: Date, maximumAge: Duration
    ) -> String? {
        guard let timestampText = request.header(WebhookSigner.timestampHeader) else {
            return "no \(WebhookSigner.timestampHeader) header"
        }
        guard let signature = request.header(WebhookSigner.signatureHeader) else {
            return "no \(WebhookSigner.signatureHeader) header"
        }
        guard let timestamp = Int64(timestampText) else {
            return "\(WebhookSigner.timestampHeader) is not Unix seconds: \"\(brief(timestampText))\""
        }
        let age = now.timeIntervalSince1970 - Double(timestamp)
        let limit = maximumAge.timeInterval
        if age > limit {
            return "timestamp \(timestamp) is \(Int(age)) s old, more than the \(Int(limit)) s allowed"
        }
        if -age > limit {
            return "timestamp \(timestamp) is \(Int(-age)) s ahead, more than the \(Int(limit)) s allowed"
        }
        guard
            signer.verify(
                body: request.body, timestampHeader: timestampText, signatureHeader: signature, now: now,
                tolerance: maximumAge)
        else { return "signature does not match the timestamp and body (wrong secret, or the body was changed)" }
        return nil
    }

    struct ParseFailure: Error {
        var reason: String
    }

    /// Alertmanager's webhook body, version 4, with the reason it is not one: the key path and what was wrong.
    static func parse(_ body: [UInt8]) -> Result<WebhookPayload, ParseFailure> {
        guard !body.isEmpty else { return .failure(ParseFailure(reason: "empty body")) }
        let payload: WebhookPayload
        do {
            payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(body))
        } catch let error as DecodingError {
            return .failure(ParseFailure(reason: describe(error)))
        } catch {
            return .failure(ParseFailure(reason: "not JSON: \(error)"))
        }
        guard payload.version == "4" else {
            return .failure(
                ParseFailure(
                    reason: "version: expected \"4\" (Alertmanager webhook), found \"\(brief(payload.version))\""))
        }
        return .success(payload)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "document" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(name(of: type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(name(of: type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let detail = context.underlyingError.map { "\($0)" } ?? context.debugDescription
                return "not JSON: \(brief(detail, limit: 160))"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "not an Alertmanager webhook body: \(error)"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is [String: String].Type: "an object of strings"
        case is [String: Any].Type: "an object"
        case is [Any].Type, is [WebhookPayload.Alert].Type: "an array"
        default: "\(type)"
        }
    }

    /// Text a peer sent, shortened for a log line.
    static func brief(_ text: String, limit: Int = 64) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
