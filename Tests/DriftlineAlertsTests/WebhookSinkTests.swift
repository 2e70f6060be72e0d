import DriftlineAlerts
import Foundation
import Testing

/// `WebhookSink` over real HTTP on 127.0.0.1 (an ephemeral port), sent to by AsyncHTTPClient as a sender would.
/// Signatures are made by `WebhookSigner`, whose HMAC is checked against RFC 4231 and Python in its own tests.
struct WebhookSinkTests {
    static let secret = "s3cret"
    static let sentAt = Date(timeIntervalSince1970: 1_764_621_998)

    /// A firing notification as Alertmanager writes it (typed here, not made by `WebhookPayload`): keys in
    /// Alertmanager's order, a resolved alert beside a firing one.
    static let alertmanagerBody = Array(
        #"""
        {"receiver":"oncall","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"chat-ttft",\#
        "burn_tier":"page-1h","burn_window":"1h","model":"gpt-4o","severity":"page","slo":"chat-ttft","team":"chat"},\#
        "annotations":{"summary":"SLO chat-ttft burns its error budget above 14.4x over 1h"},\#
        "startsAt":"2026-12-01T20:46:38.120Z","endsAt":"0001-01-01T00:00:00Z",\#
        "generatorURL":"http://driftline.example/alerts/chat-ttft.yaml","fingerprint":"0c0f7a5e1b2d3c4f"},\#
        {"status":"resolved","labels":{"alertname":"chat-tpot","severity":"ticket","model":"gpt-4o"},\#
        "annotations":{},"startsAt":"2026-12-01T19:00:00.000Z","endsAt":"2026-12-01T20:40:00.000Z",\#
        "generatorURL":"http://driftline.example/alerts/chat-tpot.yaml","fingerprint":"aa0f7a5e1b2d3c4f"}],\#
        "groupLabels":{"model":"gpt-4o"},"commonLabels":{"model":"gpt-4o"},"commonAnnotations":{},\#
        "externalURL":"http://driftline.example","version":"4","groupKey":"{}:{model=\"gpt-4o\"}",\#
        "truncatedAlerts":0}
        """#.utf8)

    static func recordFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("webhook-sink-\(UUID()).jsonl").path
    }

    static func recordLines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func aSignedNotificationIsAcceptedRecordedAndPrinted() async throws {
        let record = Self.recordFile()
        defer { try? FileManager.default.removeItem(atPath: record) }
        let configuration = WebhookSinkConfiguration(port: 0, secret: Array(Self.secret.utf8), recordFile: record)
        try await WebhookSink.with(configuration, now: { Self.sentAt }) { sink in
            let body = Self.alertmanagerBody
            let answer = try await SinkRequests.send(
                sink, body: body,
                headers: SinkRequests.headers(body: body, key: "7", secret: Self.secret, at: Self.sentAt))
            #expect(answer.status == 200)
            let events = await SinkRequests.events(sink, 1)
            guard case .accepted(let notification) = events.first else {
                Issue.record("expected an accepted notification, got \(events)")
                return
            }
            #expect(notification.signatureVerified)
            #expect(notification.idempotencyKey == "7")
            #expect(
                events[0].line
                    == "2025-12-01T20:46:38.000Z firing oncall key=7 signed: chat-ttft severity=page burn_tier=page-1h "
                    + "{burn_window=1h, model=gpt-4o, team=chat} \"SLO chat-ttft burns its error budget above 14.4x over 1h\"; "
                    + "resolved chat-tpot severity=ticket {model=gpt-4o}")
            let lines = try Self.recordLines(record)
            #expect(lines.count == 1)
            #expect(Set(lines[0].keys) == ["received_at", "idempotency_key", "signature_verified", "payload"])
            #expect(lines[0]["received_at"] as? String == "2025-12-01T20:46:38.000Z")
            #expect(lines[0]["idempotency_key"] as? String == "7")
            #expect(lines[0]["signature_verified"] as? Bool == true)
            // The payload as sent, key for key: the record's and the body's JSON, each parsed and written sorted.
            let recorded = try JSONSerialization.data(
                withJSONObject: try #require(lines[0]["payload"]), options: [.sortedKeys])
            let sent = try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: Data(body)), options: [.sortedKeys])
            #expect(recorded == sent)
        }
    }

    @Test func aTamperedBodyAWrongSecretOrNoSignatureIsRefused() async throws {
        let record = Self.recordFile()
        defer { try? FileManager.default.removeItem(atPath: record) }
        let configuration = WebhookSinkConfiguration(port: 0, secret: Array(Self.secret.utf8), recordFile: record)
        try await WebhookSink.with(configuration, now: { Self.sentAt }) { sink in
            let body = Self.alertmanagerBody
            let signed = SinkRequests.headers(body: body, key: "1", secret: Self.secret, at: Self.sentAt)
            var tampered = body
            tampered[tampered.firstIndex(of: UInt8(ascii: "4"))!] = UInt8(ascii: "5")
            let answers = [
                try await SinkRequests.send(sink, body: tampered, headers: signed),
                try await SinkRequests.send(
                    sink, body: body,
                    headers: SinkRequests.headers(body: body, key: "2", secret: "other", at: Self.sentAt)
                ),
                try await SinkRequests.send(sink, body: body, headers: SinkRequests.headers(body: body, key: "3")),
            ]
            #expect(answers.map(\.status) == [401, 401, 401])
            #expect(answers[0].text.hasPrefix("signature does not match"))
            #expect(answers[2].text == "no X-Driftline-Timestamp header\n")
            let events = await SinkRequests.events(sink, 3)
            #expect(
                events.map(\.line) == [
                    "2025-12-01T20:46:38.000Z rejected 401 key=1: signature does not match the timestamp and body "
                        + "(wrong secret, or the body was changed)",
                    "2025-12-01T20:46:38.000Z rejected 401 key=2: signature does not match the timestamp and body "
                        + "(wrong secret, or the body was changed)",
                    "2025-12-01T20:46:38.000Z rejected 401 key=3: no X-Driftline-Timestamp header",
                ])
            #expect(sink.acceptedCount == 0)
            #expect(try Self.recordLines(record).isEmpty)
        }
    }

    /// `--max-age 300`: a signature 300 s old is still taken, one 301 s old (or 301 s ahead) is a replay.
    @Test func aStaleTimestampIsRefused() async throws {
        let configuration = WebhookSinkConfiguration(port: 0, secret: Array(Self.secret.utf8))
        try await WebhookSink.with(configuration, now: { Self.sentAt }) { sink in
            let body = Self.alertmanagerBody
            func send(signedAt offset: Double, key: String) async throws -> SinkRequests.Answer {
                try await SinkRequests.send(
                    sink, body: body,
                    headers: SinkRequests.headers(
                        body: body, key: key, secret: Self.secret, at: Self.sentAt.addingTimeInterval(offset)))
            }
            let stale = try await send(signedAt: -301, key: "1")
            let ahead = try await send(signedAt: 301, key: "2")
            let oldest = try await send(signedAt: -300, key: "3")
            #expect([stale.status, ahead.status, oldest.status] == [Int]([401, 401, 200]))
            #expect(stale.text == "timestamp 1764621697 is 301 s old, more than the 300 s allowed\n")
            #expect(ahead.text == "timestamp 1764622299 is 301 s ahead, more than the 300 s allowed\n")
        }
    }

    @Test func aRedeliveredIdempotencyKeyIsAnsweredButRecordedOnce() async throws {
        let record = Self.recordFile()
        defer { try? FileManager.default.removeItem(atPath: record) }
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0, recordFile: record)) { sink in
            let body = Self.alertmanagerBody
            var statuses: [Int] = []
            for key in ["41", "41", "42", "41"] {
                statuses.append(
                    try await SinkRequests.send(sink, body: body, headers: SinkRequests.headers(body: body, key: key))
                        .status)
            }
            #expect(statuses == [200, 200, 200, 200])
            let events = await SinkRequests.events(sink, 4)
            #expect(
                events.map { event -> String in
                    switch event {
                    case .accepted(let notification): "accepted \(notification.idempotencyKey ?? "")"
                    case .duplicate(let notification): "duplicate \(notification.idempotencyKey ?? "")"
                    case .refused(let refusal): "refused \(refusal.status)"
                    }
                } == ["accepted 41", "duplicate 41", "accepted 42", "duplicate 41"])
            #expect(events[1].line.hasSuffix("duplicate key=41: firing oncall, already accepted"))
            #expect(events[0].line.contains(" unsigned: "))
            #expect(sink.acceptedCount == 2)
            let lines = try Self.recordLines(record)
            #expect(lines.map { $0["idempotency_key"] as? String } == ["41", "42"])
            #expect(lines.map { $0["signature_verified"] as? Bool } == [false, false])
        }
    }

    @Test func failFirstAnswers503ThenAccepts() async throws {
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0, failFirst: 2)) { sink in
            let body = Self.alertmanagerBody
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(
                    try await SinkRequests.send(sink, body: body, headers: SinkRequests.headers(body: body, key: "1"))
                        .status)
            }
            #expect(statuses == [503, 503, 200])
            let events = await SinkRequests.events(sink, 3)
            #expect(events[0].line.hasSuffix("failing 503 key=1: failing on purpose (1 of 2)"))
            #expect(events[1].line.hasSuffix("failing 503 key=1: failing on purpose (2 of 2)"))
            #expect(sink.acceptedCount == 1)
        }
    }

    @Test func aMalformedBodyIs400WithTheReason() async throws {
        let bodies = [
            #"{"version":"4","#,
            #"{"version":"4","status":"firing"}"#,
            String(decoding: Self.alertmanagerBody, as: UTF8.self).replacingOccurrences(
                of: #""version":"4""#, with: #""version":"3""#),
            String(decoding: Self.alertmanagerBody, as: UTF8.self).replacingOccurrences(
                of: #""labels":{"alertname":"chat-tpot","severity":"ticket","model":"gpt-4o"}"#, with: #""labels":[]"#),
            String(decoding: Self.alertmanagerBody, as: UTF8.self).replacingOccurrences(
                of: #""alertname":"chat-tpot""#, with: #""alertname":7"#),
            "[]",
            "",
        ]
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0)) { sink in
            var answers: [SinkRequests.Answer] = []
            for body in bodies {
                answers.append(try await SinkRequests.send(sink, body: Array(body.utf8)))
            }
            #expect(answers.map(\.status) == [400, 400, 400, 400, 400, 400, 400])
            #expect(answers[0].text.hasPrefix("not JSON: "))
            #expect(answers[1].text == "groupKey: missing\n")
            #expect(answers[2].text == "version: expected \"4\" (Alertmanager webhook), found \"3\"\n")
            #expect(answers[3].text == "alerts[1].labels: expected an object\n")
            #expect(answers[4].text == "alerts[1].labels.alertname: expected a string\n")
            #expect(answers[5].text == "document: expected an object\n")
            #expect(answers[6].text == "empty body\n")
            let events = await SinkRequests.events(sink, 7)
            #expect(events[1].line.hasSuffix("malformed 400: groupKey: missing"))
            #expect(sink.acceptedCount == 0)
        }
    }

    @Test func healthzIsOkOtherMethodsAre405AndLargeBodies413() async throws {
        try await WebhookSink.with(WebhookSinkConfiguration(port: 0, maximumBodyBytes: 1_000)) { sink in
            let health = try await SinkRequests.send(sink, method: .GET, path: "/healthz")
            #expect(health.status == 200)
            #expect(health.text == "ok\n")
            #expect(try await SinkRequests.send(sink, method: .GET, path: "/hook").status == 405)
            #expect(try await SinkRequests.send(sink, body: Array(repeating: 0x20, count: 1_001)).status == 413)
            let events = await SinkRequests.events(sink, 2)
            #expect(
                events[0].line.hasSuffix("method-not-allowed 405: GET /hook: only POST (and GET /healthz) is served"))
            #expect(events[1].line.hasSuffix("too-large 413: body larger than the limit"))
        }
    }

    /// End to end: the outbox sender signs and delivers rendered notifications to the sink, which fails once,
    /// verifies every signature and takes each message once; a redelivery of a delivered message is a duplicate.
    @Test func anOutboxSenderDeliversSignedNotificationsTheSinkVerifies() async throws {
        let record = Self.recordFile()
        defer { try? FileManager.default.removeItem(atPath: record) }
        let clock = TestClock()
        let configuration = WebhookSinkConfiguration(
            port: 0, secret: Array(Self.secret.utf8), failFirst: 1, recordFile: record)
        try await WebhookSink.with(configuration, now: { clock.now }) { sink in
            let messages = try [("a", Int64(1)), ("b", 2)].map { model, id in
                let payload = WebhookPayload(
                    receiver: "oncall", groupLabels: ["model": model],
                    notifications: [WebhookPayloadTests.notification(model: model, status: .firing)],
                    externalURL: "http://driftline.example")
                return OutboxMessage(id: id, receiver: "oncall", body: try payload.encoded(), createdAt: clock.now)
            }
            let outbox = MemoryOutbox(messages)
            let sender = OutboxSender(
                store: outbox, transport: HTTPWebhookTransport(),
                receivers: [WebhookReceiver(name: "oncall", url: sink.url, secret: Self.secret, timeout: .seconds(10))],
                now: { clock.now }, unitRandom: { 0 })
            // One attempt per pass for a single receiver: 503, then 1 and 2; the clock passes every back-off.
            for _ in 0..<4 {
                try await sender.runOnce()
                clock.advance(5)
            }
            #expect(outbox.states == [1: "delivered", 2: "delivered"])
            _ = try await sender.deliver(messages[0])
            let events = await SinkRequests.events(sink, 4)
            let summary = events.map { event -> String in
                switch event {
                case .accepted(let notification):
                    "accepted \(notification.idempotencyKey ?? "") verified=\(notification.signatureVerified)"
                case .duplicate(let notification): "duplicate \(notification.idempotencyKey ?? "")"
                case .refused(let refusal): "refused \(refusal.status)"
                }
            }
            #expect(summary == ["refused 503", "accepted 1 verified=true", "accepted 2 verified=true", "duplicate 1"])
            let lines = try Self.recordLines(record)
            #expect(lines.compactMap { $0["idempotency_key"] as? String } == ["1", "2"])
            let receivedBodies = try lines.map { line in
                try JSONSerialization.data(withJSONObject: try #require(line["payload"]), options: [.sortedKeys])
            }
            let sentBodies = try messages.map { message in
                try JSONSerialization.data(
                    withJSONObject: try JSONSerialization.jsonObject(with: Data(message.body)), options: [.sortedKeys])
            }
            #expect(receivedBodies == sentBodies)
        }
    }
}
