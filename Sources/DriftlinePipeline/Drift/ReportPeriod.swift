import Foundation

/// A period on the command line, `START..END`, each end an RFC 3339 time
/// (`2026-11-01T00:00:00Z`), `now`, or a time before now (`-7d`, `-12h`, `-30m`).
public enum ReportPeriod {
    /// `[start, end)` in seconds since the epoch, or an error that says what was expected.
    public static func parse(_ text: String, now: Int64) throws(ReportPeriodError) -> Range<Int64> {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { throw ReportPeriodError(text: text, problem: "expected START..END") }
        let start = try instant(parts[0], now: now, in: text)
        let end = try instant(parts[1], now: now, in: text)
        guard start < end else { throw ReportPeriodError(text: text, problem: "the start is not before the end") }
        return start..<end
    }

    /// An RFC 3339 time (`2026-11-01T00:00:00Z`) in seconds since the epoch; also how
    /// `drift.psi.reference_from` and `reference_to` are read.
    static func seconds(rfc3339 text: String) -> Int64? {
        ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970) }
    }

    private static func instant(_ text: String, now: Int64, in whole: String) throws(ReportPeriodError) -> Int64 {
        if text == "now" { return now }
        if text.hasPrefix("-"), let unit = text.last, let value = Int64(text.dropFirst().dropLast()), value >= 0 {
            switch unit {
            case "m": return now - value * 60
            case "h": return now - value * 3_600
            case "d": return now - value * 86_400
            default: break
            }
        }
        if let seconds = seconds(rfc3339: text) { return seconds }
        throw ReportPeriodError(
            text: whole, problem: "\"\(text)\" is not an RFC 3339 time, now, or -N followed by m, h or d")
    }
}

public struct ReportPeriodError: Error, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "period \"\(text)\": \(problem)" }
}
