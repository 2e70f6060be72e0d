extension EventTime {
    /// Parses an RFC 3339 `date-time` (section 5.6): `T`, `t` or a space between date and
    /// time (the space is the variant RFC 3339 section 5.6's note permits), any number of
    /// fractional-second digits (digits past the microsecond are dropped, which rounds
    /// toward the past), `Z`, `z` or a `±HH:MM` offset, `-00:00` read as UTC. A leap second
    /// (`:60`) is read as POSIX time reads it: the same instant as the next minute's `:00`.
    public init?(rfc3339 text: String) {
        var text = text
        let parsed = text.withUTF8 { utf8 -> Int64? in
            guard let base = utf8.baseAddress else { return nil }
            return try? RFC3339.parse(base, count: utf8.count)
        }
        guard let parsed else { return nil }
        self.init(microsecondsSinceEpoch: parsed)
    }

    /// RFC 3339 in UTC with exactly six fractional digits, e.g. `2026-11-25T12:00:00.123456Z`;
    /// reads back to the same instant. Instants outside `supportedRange` have no four-digit
    /// year and print as `<n>us since epoch` instead.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(RFC3339.formattedLength)
        guard appendRFC3339(to: &bytes) else {
            return "\(microsecondsSinceEpoch)us since epoch"
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 form; returns false, appending nothing, outside `supportedRange`.
    @discardableResult
    public func appendRFC3339(to bytes: inout [UInt8]) -> Bool {
        guard EventTime.supportedRange.contains(self) else { return false }
        let micros = microsecondsSinceEpoch
        let days = micros.floorDivided(by: RFC3339.microsecondsPerDay)
        let microsOfDay = micros - days * RFC3339.microsecondsPerDay
        let (year, month, day) = RFC3339.civil(fromDaysSinceEpoch: days)
        let secondsOfDay = microsOfDay / 1_000_000
        // Filled in a fixed buffer and appended once: per-byte appends dominated encoding.
        var text: (UInt64, UInt64, UInt64, UInt32) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { out in
            func put(_ value: Int64, at offset: Int, width: Int) {
                var remaining = value
                for index in (offset..<(offset + width)).reversed() {
                    out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
                    remaining /= 10
                }
            }
            put(year, at: 0, width: 4)
            out[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            out[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            out[10] = UInt8(ascii: "T")
            put(secondsOfDay / 3600, at: 11, width: 2)
            out[13] = UInt8(ascii: ":")
            put(secondsOfDay / 60 % 60, at: 14, width: 2)
            out[16] = UInt8(ascii: ":")
            put(secondsOfDay % 60, at: 17, width: 2)
            out[19] = UInt8(ascii: ".")
            put(microsOfDay % 1_000_000, at: 20, width: 6)
            out[26] = UInt8(ascii: "Z")
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[0..<RFC3339.formattedLength]))
        }
        return true
    }
}

/// Why a string is not an RFC 3339 timestamp, phrased to follow "…, got "<text>": ".
struct RFC3339Error: Error {
    var detail: String
}

enum RFC3339 {
    static let microsecondsPerDay: Int64 = 86_400_000_000
    static let formattedLength = 27
    static let shape = "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"

    /// Parses the bytes of an RFC 3339 `date-time` into microseconds since the epoch.
    /// The result is inside `EventTime.supportedRange` except for offsets that push a
    /// year-0000 or year-9999 time across the boundary, which callers range-check.
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) throws(RFC3339Error) -> Int64 {
        // The shortest valid form is `YYYY-MM-DDTHH:MM:SSZ`.
        guard count >= 20 else { throw RFC3339Error(detail: "too short for \(shape)") }
        guard let year = digits(p, 0, 4), p[4] == UInt8(ascii: "-"),
            let month = digits(p, 5, 2), p[7] == UInt8(ascii: "-"),
            let day = digits(p, 8, 2)
        else { throw RFC3339Error(detail: "the date is not YYYY-MM-DD") }
        let separator = p[10]
        guard
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
                || separator == UInt8(ascii: " ")
        else { throw RFC3339Error(detail: "expected 'T' between date and time") }
        guard let hour = digits(p, 11, 2), p[13] == UInt8(ascii: ":"),
            let minute = digits(p, 14, 2), p[16] == UInt8(ascii: ":"),
            let second = digits(p, 17, 2)
        else { throw RFC3339Error(detail: "the time is not HH:MM:SS") }
        guard (1...12).contains(month) else {
            throw RFC3339Error(detail: "month \(month) is out of range 01-12")
        }
        guard day >= 1, day <= daysInMonth(year: year, month: month) else {
            throw RFC3339Error(detail: "day \(day) does not exist in month \(month) of year \(year)")
        }
        guard hour <= 23 else { throw RFC3339Error(detail: "hour \(hour) is out of range 00-23") }
        guard minute <= 59 else { throw RFC3339Error(detail: "minute \(minute) is out of range 00-59") }
        guard second <= 60 else { throw RFC3339Error(detail: "second \(second) is out of range 00-60") }

        var index = 19
        var fraction: Int64 = 0
        if p[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            var kept = 0
            while index < count {
                let digit = p[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if kept < 6 {
                    fraction = fraction * 10 + Int64(digit)
                    kept += 1
                }
                index += 1
            }
            guard index > fractionStart else {
                throw RFC3339Error(detail: "expected a digit after the decimal point")
            }
            while kept < 6 {
                fraction *= 10
                kept += 1
            }
        }
        guard index < count else { throw RFC3339Error(detail: "missing the time zone (Z or ±HH:MM)") }
        var offsetSeconds: Int64 = 0
        switch p[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard count - index >= 6, let offsetHour = digits(p, index + 1, 2),
                p[index + 3] == UInt8(ascii: ":"), let offsetMinute = digits(p, index + 4, 2)
            else { throw RFC3339Error(detail: "the offset is not ±HH:MM") }
            guard offsetHour <= 23, offsetMinute <= 59 else {
                throw RFC3339Error(detail: "offset hour or minute is out of range")
            }
            let magnitude = Int64(offsetHour * 3600 + offsetMinute * 60)
            offsetSeconds = p[index] == UInt8(ascii: "-") ? -magnitude : magnitude
            index += 6
        default:
            throw RFC3339Error(detail: "expected Z or ±HH:MM after the seconds")
        }
        guard index == count else { throw RFC3339Error(detail: "unexpected text after the time zone") }

        let days = daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
        let localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (localSeconds - offsetSeconds) * 1_000_000 + fraction
    }

    /// `width` ASCII digits at `offset`; the caller guarantees they are in bounds.
    @inline(__always)
    private static func digits(_ p: UnsafePointer<UInt8>, _ offset: Int, _ width: Int) -> Int? {
        var value = 0
        var valid = true
        for index in offset..<(offset + width) {
            let digit = p[index] &- UInt8(ascii: "0")
            valid = valid && digit < 10
            value = value * 10 + Int(digit)
        }
        return valid ? value : nil
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Proleptic Gregorian day arithmetic from H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms" (days_from_civil / civil_from_days); exact for every year, no tables.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
