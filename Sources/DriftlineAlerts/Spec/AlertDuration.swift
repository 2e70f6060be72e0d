/// Durations as rule files write them: one or more `<whole number><unit>` parts, units `ms`, `s`, `m`, `h`, `d`,
/// `w`, as in Prometheus (`30d`, `1h30m`, `90s`). A day is 86 400 s; there are no calendar months.
public enum AlertDuration {
    public static func parse(_ text: String) -> Duration? {
        var milliseconds: Int64 = 0
        var digits = ""
        var index = text.startIndex
        guard !text.isEmpty else { return nil }
        while index < text.endIndex {
            let character = text[index]
            if character.isASCII, character.isNumber {
                digits.append(character)
                index = text.index(after: index)
                continue
            }
            guard let amount = Int64(digits) else { return nil }
            digits = ""
            let unit: Int64
            let rest = text[index...]
            if rest.hasPrefix("ms") {
                unit = 1
                index = text.index(index, offsetBy: 2)
            } else {
                switch character {
                case "s": unit = 1_000
                case "m": unit = 60_000
                case "h": unit = 3_600_000
                case "d": unit = 86_400_000
                case "w": unit = 604_800_000
                default: return nil
                }
                index = text.index(after: index)
            }
            let (part, overflow) = amount.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            milliseconds += part
        }
        guard digits.isEmpty, milliseconds > 0 else { return nil }
        return .milliseconds(milliseconds)
    }

    /// The shortest text that ``parse(_:)`` reads back as `duration`: `30d`, `1h`, `5m`, `1h30m`.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.totalMilliseconds
        guard remaining > 0 else { return "0s" }
        var text = ""
        for (unit, suffix) in [(Int64(86_400_000), "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s"), (1, "ms")] {
            let amount = remaining / unit
            if amount > 0 {
                text += "\(amount)\(suffix)"
                remaining -= amount * unit
            }
        }
        return text
    }
}

extension Duration {
    /// Whole milliseconds; rule durations are never finer.
    var totalMilliseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a Foundation time interval, for date arithmetic.
    public var timeInterval: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
