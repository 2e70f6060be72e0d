import DriftlineAlerts
import Foundation
import Testing

/// The sink's decisions without a socket: the order of its checks, and that a notification counts only once kept.
struct WebhookSinkStateTests {
    static let now = Date(timeIntervalSince1970: 1_764_621_998)

    static func post(_ body: [UInt8], key: String? = nil) -> WebhookSinkRequest {
        var headers: [String: String] = [:]
        headers["idempotency-key"] = key
        return WebhookSinkRequest(method: "POST", path: "/", headers: headers, body: body)
    }

    static func status(_ action: WebhookSinkState.Action) -> Int? {
        guard case .respond(let response) = action else { return nil }
        return response.status
    }

    /// An outage on purpose answers before anything is checked: even an unsigned, empty POST gets its 503.
    @Test func failingFirstComesBeforeSignatureAndBodyChecks() {
        var state = WebhookSinkState(configuration: WebhookSinkConfiguration(secret: Array("s".utf8), failFirst: 1))
        #expect(Self.status(state.receive(Self.post([]), at: Self.now)) == 503)
        #expect(Self.status(state.receive(Self.post([]), at: Self.now)) == 401)
        #expect(state.failed == 1)
    }

    /// A notification that could not be recorded is answered 500 and its key stays new, so the sender's retry is
    /// taken as the first delivery, not dropped as a duplicate.
    @Test func aNotificationIsCountedOnlyOnceRecorded() throws {
        var state = WebhookSinkState(configuration: WebhookSinkConfiguration())
        let body = WebhookSinkTests.alertmanagerBody
        guard case .record(let first) = state.receive(Self.post(body, key: "9"), at: Self.now) else {
            Issue.record("expected the notification to be recorded")
            return
        }
        #expect(state.recordFailed(first, reason: "disk full").status == 500)
        #expect(state.acceptedCount == 0)
        guard case .record(let retry) = state.receive(Self.post(body, key: "9"), at: Self.now) else {
            Issue.record("a retry after a failed record must be recorded")
            return
        }
        #expect(state.recorded(retry).status == 200)
        #expect(state.acceptedCount == 1)
        guard case .respond(let again) = state.receive(Self.post(body, key: "9"), at: Self.now),
            case .duplicate = again.event
        else {
            Issue.record("a redelivery must be a duplicate")
            return
        }
        #expect(again.status == 200)
        // Without a key nothing can be recognised as a redelivery.
        guard case .record = state.receive(Self.post(body), at: Self.now) else {
            Issue.record("a notification without a key must be recorded")
            return
        }
    }

    /// A line break sent inside a label or annotation stays on the sink's one line per notification.
    @Test func peerTextCannotBreakTheLogLine() throws {
        let text = String(decoding: WebhookSinkTests.alertmanagerBody, as: UTF8.self).replacingOccurrences(
            of: "burns its error budget", with: #"burns\nits error budget"#)
        var state = WebhookSinkState(configuration: WebhookSinkConfiguration())
        guard case .record(let notification) = state.receive(Self.post(Array(text.utf8)), at: Self.now) else {
            Issue.record("expected the notification to be recorded")
            return
        }
        let line = state.recorded(notification).event?.line ?? ""
        #expect(!line.contains("\n"))
        #expect(line.contains("\"SLO chat-ttft burns its error budget above 14.4x over 1h\""))
    }
}
