public import Foundation

/// What to do after one delivery attempt, from its result alone:
/// - 2xx: delivered;
/// - 408, 429 and 5xx, and every transport error (refused, reset, timed out): retry, after `Retry-After` when the
///   receiver sent one (seconds or an HTTP date), else after the back-off;
/// - other statuses (4xx, and 1xx/3xx which a webhook should not answer): rejected, never retried, since the
///   same request would be refused again.
public enum DeliveryDecision: Hashable, Sendable {
    case delivered
    case retry(after: Duration?, reason: String)
    case reject(reason: String)

    public static func decide(_ result: Result<WebhookResponse, any Error>, now: Date) -> DeliveryDecision {
        switch result {
        case .failure(let error):
            return .retry(after: nil, reason: "transport: \(error)")
        case .success(let response):
            switch response.status {
            case 200..<300:
                return .delivered
            case 408, 429, 500..<600:
                return .retry(
                    after: response.retryAfter.flatMap { retryAfter($0, now: now) }, reason: "HTTP \(response.status)")
            default:
                return .reject(reason: "HTTP \(response.status)")
            }
        }
    }

    /// RFC 9110, section 10.2.3: `Retry-After` is delay-seconds or an HTTP-date (IMF-fixdate).
    static func retryAfter(_ text: String, now: Date) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1_000))
    }
}
