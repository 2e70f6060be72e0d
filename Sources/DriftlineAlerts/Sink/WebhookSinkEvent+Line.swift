extension WebhookSinkEvent {
    /// The sink's log line for the event, e.g.
    ///
    /// ```text
    /// 2026-12-01T20:46:38.120Z firing oncall key=12 signed: chat-ttft severity=page burn_tier=page-1h {burn_window=1h, model=gpt-4o, team=chat} "SLO chat-ttft burns its error budget above 14.4x over 1h"
    /// 2026-12-01T20:46:39.004Z duplicate key=12: firing oncall, already accepted
    /// 2026-12-01T20:46:40.518Z rejected 401 key=13: signature does not match the timestamp and body (…)
    /// ```
    public var line: String {
        // Labels, annotations and reasons come from the peer: a line break in them must not start a log line.
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private var text: String {
        switch self {
        case .accepted(let notification):
            let payload = notification.payload
            var head = "\(RFC3339.format(notification.receivedAt)) \(payload.status) \(payload.receiver)"
            if let key = notification.idempotencyKey { head += " key=\(key)" }
            head += notification.signatureVerified ? " signed" : " unsigned"
            guard !payload.alerts.isEmpty else { return head + ": no alerts" }
            return head + ": "
                + payload.alerts.map { Self.describe($0, groupStatus: payload.status) }
                .joined(separator: "; ")
        case .duplicate(let notification):
            let key = notification.idempotencyKey.map { " key=\($0)" } ?? ""
            return "\(RFC3339.format(notification.receivedAt)) duplicate\(key): "
                + "\(notification.payload.status) \(notification.payload.receiver), already accepted"
        case .refused(let refusal):
            let key = refusal.idempotencyKey.map { " key=\(WebhookSinkState.brief($0))" } ?? ""
            return "\(RFC3339.format(refusal.receivedAt)) \(refusal.kind.rawValue) \(refusal.status)\(key): "
                + refusal.reason
        }
    }

    /// Labels named on their own, before the others.
    private static let leadingLabels = ["severity", "burn_tier"]
    private static let otherLabelsShown = 6

    /// `alertname severity=… burn_tier=… {other labels} "summary"`, with the alert's status first when it differs
    /// from the group's (a resolved alert in a firing group).
    static func describe(_ alert: WebhookPayload.Alert, groupStatus: String) -> String {
        let name = alert.labels["alertname"] ?? "(no alertname)"
        var parts = alert.status == groupStatus ? [name] : [alert.status, name]
        for label in leadingLabels {
            if let value = alert.labels[label] { parts.append("\(label)=\(value)") }
        }
        // `slo` repeats the alertname for SLO alerts; any other value is worth showing.
        let others = alert.labels.filter { label in
            label.key != "alertname" && !leadingLabels.contains(label.key)
                && !(label.key == "slo" && label.value == name)
        }
        .sorted { $0.key < $1.key }
        if !others.isEmpty {
            var shown = others.prefix(otherLabelsShown).map {
                "\($0.key)=\(WebhookSinkState.brief($0.value, limit: 32))"
            }
            if others.count > otherLabelsShown { shown.append("+\(others.count - otherLabelsShown) more") }
            parts.append("{" + shown.joined(separator: ", ") + "}")
        }
        if let summary = alert.annotations["summary"] {
            parts.append("\"\(WebhookSinkState.brief(summary, limit: 160))\"")
        }
        return parts.joined(separator: " ")
    }
}
