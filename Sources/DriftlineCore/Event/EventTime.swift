/// An instant, as whole microseconds since 1970-01-01T00:00:00Z (leap seconds not counted,
/// as in POSIX time).
///
/// Microseconds because that is the finest resolution LLM gateways and OpenTelemetry
/// exporters report in practice for request timing, and an `Int64` of them spans
/// ±292 000 years, so differences and window arithmetic never overflow for
/// timestamps in `EventTime.supportedRange`.
public struct EventTime: Sendable, Hashable, Comparable {
    public var microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public init(millisecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = millisecondsSinceEpoch * 1000
    }

    public init(secondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = secondsSinceEpoch * 1_000_000
    }

    /// 1970-01-01T00:00:00Z.
    public static let epoch = EventTime(microsecondsSinceEpoch: 0)

    /// The instants every decoder accepts and the RFC 3339 formatter can print with a
    /// four-digit year: 0000-01-01T00:00:00Z through 9999-12-31T23:59:59.999999Z.
    public static let supportedRange: ClosedRange<EventTime> =
        EventTime(
            microsecondsSinceEpoch: -62_167_219_200_000_000)...EventTime(
            microsecondsSinceEpoch: 253_402_300_799_999_999)

    /// Milliseconds since the epoch, with the microseconds as the fraction.
    public var milliseconds: Double { Double(microsecondsSinceEpoch) / 1000 }

    /// Whole milliseconds since the epoch, rounded toward the past.
    public var wholeMillisecondsSinceEpoch: Int64 {
        microsecondsSinceEpoch.floorDivided(by: 1000)
    }

    public func advanced(byMicroseconds microseconds: Int64) -> EventTime {
        EventTime(microsecondsSinceEpoch: microsecondsSinceEpoch + microseconds)
    }

    public func advanced(byMilliseconds milliseconds: Int64) -> EventTime {
        EventTime(microsecondsSinceEpoch: microsecondsSinceEpoch + milliseconds * 1000)
    }

    /// `self − other` in microseconds; negative when `self` is earlier.
    public func microseconds(since other: EventTime) -> Int64 {
        microsecondsSinceEpoch - other.microsecondsSinceEpoch
    }

    /// `self − other` in milliseconds; negative when `self` is earlier.
    public func milliseconds(since other: EventTime) -> Double {
        Double(microsecondsSinceEpoch - other.microsecondsSinceEpoch) / 1000
    }

    /// The start of the tumbling window of `microseconds` length that contains `self`,
    /// with windows aligned to the epoch (so instants before 1970 still floor toward
    /// the past). `microseconds` must be positive.
    public func floored(toMultipleOfMicroseconds microseconds: Int64) -> EventTime {
        precondition(microseconds > 0, "window length must be positive")
        return EventTime(
            microsecondsSinceEpoch: microsecondsSinceEpoch.floorDivided(by: microseconds) * microseconds)
    }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension EventTime: CustomStringConvertible {
    /// RFC 3339 in UTC with six fractional digits, e.g. `2026-11-25T12:00:00.123456Z`.
    public var description: String { rfc3339 }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder != 0 && (remainder < 0) != (divisor < 0) ? quotient - 1 : quotient
    }
}
