/// How the report writes times and figures.
enum ReportFormat {
    /// `2026-12-02 05:53:19` in UTC, from seconds since the epoch (days to civil date after
    /// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`).
    static func utc(_ seconds: Int64) -> String {
        let (date, time) = parts(seconds)
        return date + " " + time
    }

    /// The label of a time-axis tick: the time of day, with the date when steps are days or the
    /// range spans more than one.
    static func tick(_ seconds: Int64, step: Int64, span: Int64) -> String {
        let (date, time) = parts(seconds)
        if step >= 86_400 { return String(date.dropFirst(5)) }
        let clock = String(time.prefix(step < 60 ? 8 : 5))
        return span > 86_400 ? String(date.dropFirst(5)) + " " + clock : clock
    }

    private static func parts(_ seconds: Int64) -> (date: String, time: String) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (
            "\(year)-\(two(month))-\(two(day))",
            "\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60))"
        )
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A figure with at most `digits` significant decimals, trailing zeros dropped: 0.1 × 3 is
    /// `0.3`, 1200 is `1200`, 12.3456 is `12.35` with two.
    static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return "\(Int64(rounded))" }
        var text = "\(rounded)"
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Milliseconds as `850 ms` or `1.25 s`.
    static func milliseconds(_ value: Double) -> String {
        value >= 1_000 ? number(value / 1_000) + " s" : number(value, decimals: value >= 100 ? 0 : 1) + " ms"
    }

    /// `$12.34`, cents below a dollar kept to four places: `$0.0042`.
    static func dollars(_ value: Double) -> String {
        "$" + number(value, decimals: abs(value) >= 1 ? 2 : 4)
    }
}
