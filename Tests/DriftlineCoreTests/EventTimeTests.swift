import Foundation
import Testing

@testable import DriftlineCore

@Suite("EventTime and RFC 3339")
struct EventTimeTests {
    /// Independent oracle: Foundation's Gregorian calendar for the civil date and time, and
    /// plain string slicing for the fraction and the offset. Foundation switches to the
    /// Julian calendar before October 1582, so it only judges later dates; earlier ones are
    /// checked against values computed by hand.
    static func oracleMicroseconds(_ text: String) -> Int64? {
        let characters = Array(text)
        func number(_ range: Range<Int>) -> Int? { Int(String(characters[range])) }
        guard characters.count >= 20, let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
            let second = number(17..<19)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, 0)
        guard let date = calendar.date(from: components) else { return nil }
        var micros = Int64(date.timeIntervalSince1970.rounded()) * 1_000_000 + Int64(second) * 1_000_000
        var index = 19
        if characters[index] == "." {
            index += 1
            var digits = ""
            while index < characters.count, characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            }
            let kept = String((digits + "000000").prefix(6))
            micros += Int64(kept)!
        }
        let zone = String(characters[index...])
        if zone.uppercased() != "Z" {
            let sign: Int64 = zone.hasPrefix("-") ? -1 : 1
            let hours = Int64(zone.dropFirst().prefix(2))!
            let minutes = Int64(zone.suffix(2))!
            micros -= sign * (hours * 3600 + minutes * 60) * 1_000_000
        }
        return micros
    }

    static let validTimestamps = [
        "2026-11-25T12:00:00Z",
        "2026-11-25T12:00:00.1Z",
        "2026-11-25T12:00:00.12Z",
        "2026-11-25T12:00:00.123Z",
        "2026-11-25T12:00:00.1234Z",
        "2026-11-25T12:00:00.12345Z",
        "2026-11-25T12:00:00.123456Z",
        "2026-11-25T12:00:00.1234567Z",
        "2026-11-25T12:00:00.12345678Z",
        "2026-11-25T12:00:00.123456789Z",
        "2026-11-25T12:00:00.000000001Z",
        "2026-11-25t12:00:00z",
        "2026-11-25 12:00:00Z",
        "2026-11-25T14:00:00.5+02:00",
        "2026-11-25T06:30:00-05:30",
        "2026-11-25T12:00:00-00:00",
        "2026-11-25T23:59:59+23:59",
        "2026-11-25T00:00:00-23:59",
        "2024-02-29T23:59:59.999999Z",
        "2000-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999Z",
        "1900-03-01T00:00:00Z",
        "1600-02-29T12:00:00Z",
        "9999-12-31T23:59:59.999999Z",
    ]

    @Test(arguments: validTimestamps)
    func parsesLikeTheCalendarOracle(_ text: String) throws {
        let expected = try #require(Self.oracleMicroseconds(text))
        #expect(EventTime(rfc3339: text)?.microsecondsSinceEpoch == expected)
    }

    /// Values computed independently (Python's `datetime`).
    @Test(
        arguments: [
            ("2026-11-25T12:00:00.123Z", 1_795_608_000_123_000),
            ("2026-11-25T14:00:00.123456+02:00", 1_795_608_000_123_456),
            ("2024-02-29T23:59:59.999999Z", 1_709_251_199_999_999),
            ("1969-12-31T23:59:59.999999Z", -1),
            ("0001-01-01T00:00:00Z", -62_135_596_800_000_000),
            ("9999-12-31T23:59:59.999999Z", 253_402_300_799_999_999),
            ("2000-03-01T00:00:00-05:30", 951_888_600_000_000),
            ("1900-03-01T00:00:00Z", -2_203_891_200_000_000),
            // Year 0 is a leap year: 0000-01-01 is 366 days before 0001-01-01.
            ("0000-01-01T00:00:00Z", -62_167_219_200_000_000),
            ("0000-03-01T00:00:00Z", -62_162_035_200_000_000),
            ("0000-01-01T01:00:00+01:00", -62_167_219_200_000_000),
        ] as [(String, Int64)])
    func knownInstants(_ text: String, _ micros: Int64) {
        #expect(EventTime(rfc3339: text)?.microsecondsSinceEpoch == micros)
    }

    @Test func leapSecondReadsAsTheNextMinute() {
        #expect(EventTime(rfc3339: "2016-12-31T23:59:60Z") == EventTime(rfc3339: "2017-01-01T00:00:00Z"))
    }

    @Test(arguments: [
        "", "2026-11-25", "2026-11-25T12:00:00", "2026-11-25T12:00Z", "2026-11-25T12:00:00.Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T12:60:00Z",
        "2026-11-25T12:00:61Z", "2026-11-25T12:00:00+24:00", "2026-11-25T12:00:00+02:60",
        "2026-11-25T12:00:00+0200", "2026-11-25T12:00:00+02", "2026-11-25X12:00:00Z",
        "2026/11/25T12:00:00Z", "2026-11-25T12:00:00ZZ", "2026-11-25T12:00:00Z ", "+2026-11-25T12:00:00Z",
        "2026-1-25T12:00:00Z", "２026-11-25T12:00:00Z", "2026-11-25T12:00:00.12a3Z",
    ])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(EventTime(rfc3339: text) == nil)
    }

    @Test func formatsWithSixFractionalDigitsInUTC() {
        #expect(EventTime(microsecondsSinceEpoch: 1_795_608_000_123_000).rfc3339 == "2026-11-25T12:00:00.123000Z")
        #expect(EventTime(microsecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
        #expect(EventTime.supportedRange.lowerBound.rfc3339 == "0000-01-01T00:00:00.000000Z")
        #expect(EventTime.supportedRange.upperBound.rfc3339 == "9999-12-31T23:59:59.999999Z")
        #expect(EventTime(microsecondsSinceEpoch: Int64.max).rfc3339 == "\(Int64.max)us since epoch")
    }

    @Test func formattingAgreesWithFoundationAndRoundTrips() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let micros = Int64.random(
                in: EventTime.supportedRange.lowerBound
                    .microsecondsSinceEpoch...EventTime.supportedRange.upperBound
                    .microsecondsSinceEpoch, using: &generator)
            let time = EventTime(microsecondsSinceEpoch: micros)
            let text = time.rfc3339
            #expect(EventTime(rfc3339: text) == time)
            let seconds = micros.floorDivided(by: 1_000_000)
            // 1600-01-01T00:00:00Z: safely after Foundation's Julian-Gregorian switch.
            if seconds >= -11_676_096_000 {
                #expect(Self.oracleMicroseconds(text) == micros)
                let foundation = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
                #expect(foundation == String(text.prefix(19)) + "Z")
            }
        }
    }

    @Test func windowFlooringRoundsTowardThePast() {
        let minute: Int64 = 60_000_000
        #expect(
            EventTime(microsecondsSinceEpoch: 125_000_000).floored(toMultipleOfMicroseconds: minute)
                .microsecondsSinceEpoch == 120_000_000)
        #expect(
            EventTime(microsecondsSinceEpoch: -1).floored(toMultipleOfMicroseconds: minute).microsecondsSinceEpoch
                == -60_000_000)
        #expect(
            EventTime(microsecondsSinceEpoch: -60_000_000).floored(toMultipleOfMicroseconds: minute)
                .microsecondsSinceEpoch == -60_000_000)
    }

    @Test func arithmetic() {
        let time = EventTime(millisecondsSinceEpoch: 1_795_608_000_123)
        #expect(time.microsecondsSinceEpoch == 1_795_608_000_123_000)
        #expect(time.milliseconds == 1_795_608_000_123)
        #expect(time.advanced(byMilliseconds: 5).microseconds(since: time) == 5000)
        #expect(time.advanced(byMicroseconds: -1500).milliseconds(since: time) == -1.5)
        #expect(EventTime(microsecondsSinceEpoch: -1).wholeMillisecondsSinceEpoch == -1)
        #expect(EventTime(secondsSinceEpoch: 2).microsecondsSinceEpoch == 2_000_000)
    }
}
