public import Foundation

/// RFC 3339 timestamps in UTC with milliseconds, as Alertmanager writes them (`2026-12-01T20:46:38.120Z`).
public enum RFC3339 {
    /// Alertmanager's `endsAt` of an alert that has not ended (Go's zero `time.Time`).
    public static let zeroTime = "0001-01-01T00:00:00Z"

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }
}
