import DriftlineAlerts
import Foundation
import Testing

struct WebhookPayloadTests {
    static func notification(model: String, status: AlertNotification.Status) -> AlertNotification {
        let labels = ["alertname": "chat-ttft", "severity": "page", "model": model]
        return AlertNotification(
            fingerprint: AlertFingerprint(rule: "chat-ttft:page-1h", labels: labels), status: status, labels: labels,
            annotations: ["summary": "burning", "value": model],
            startsAt: Date(timeIntervalSince1970: 1_764_621_998.25),
            endsAt: status == .resolved ? Date(timeIntervalSince1970: 1_764_622_598) : nil,
            sourceFile: "alerts/chat-ttft.yaml")
    }

    /// Oracle: the field list of Alertmanager's webhook_config documentation (version 4) and its time format.
    @Test func bodyHasAlertmanagerV4Shape() throws {
        let payload = WebhookPayload(
            receiver: "oncall", groupLabels: ["alertname": "chat-ttft"],
            notifications: [
                Self.notification(model: "a", status: .firing), Self.notification(model: "b", status: .resolved),
            ],
            externalURL: "https://driftline.example/")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(payload.encoded())) as? [String: Any])
        #expect(
            Set(json.keys) == [
                "version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
                "commonAnnotations", "externalURL", "alerts",
            ])
        #expect(json["version"] as? String == "4")
        #expect(json["status"] as? String == "firing")
        #expect(json["groupKey"] as? String == #"{}:{alertname="chat-ttft"}"#)
        #expect(json["commonLabels"] as? [String: String] == ["alertname": "chat-ttft", "severity": "page"])
        #expect(json["commonAnnotations"] as? [String: String] == ["summary": "burning"])
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(
            Set(alerts[0].keys) == [
                "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint",
            ])
        #expect(alerts[0]["startsAt"] as? String == "2025-12-01T20:46:38.250Z")
        #expect(alerts[0]["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alerts[1]["endsAt"] as? String == "2025-12-01T20:56:38.000Z")
        #expect(alerts[0]["generatorURL"] as? String == "https://driftline.example/alerts/chat-ttft.yaml")
        #expect((alerts[0]["fingerprint"] as? String)?.count == 16)
    }

    @Test func aGroupWithOnlyResolvedAlertsIsResolved() {
        let payload = WebhookPayload(
            receiver: "oncall", groupLabels: [:], notifications: [Self.notification(model: "a", status: .resolved)],
            externalURL: "")
        #expect(payload.status == "resolved")
        #expect(payload.groupKey == "{}:{}")
    }
}
