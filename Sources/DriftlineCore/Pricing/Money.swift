/// An exact amount of US dollars as a whole number of 10⁻²⁴ USD.
///
/// Prices are published as decimal text (LiteLLM writes `1.25e-07` USD per token, some of its
/// entries carry up to 24 decimal places of float noise such as `5.0000000000000004E-8`), so
/// money is parsed from that text and never passes through binary floating point. 24 decimal
/// places hold every price in LiteLLM's file exactly, and `Int128` still holds ±1.7 × 10¹⁴ USD
/// — far beyond any one event or window; sums over long ranges are done by Postgres `numeric`.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Decimal places of the fixed-point representation.
    public static let scale = 24
    static let unitsPerDollar: Int128 = {
        var value: Int128 = 1
        for _ in 0..<scale { value *= 10 }
        return value
    }()

    /// The amount in 10⁻²⁴ USD.
    public var units: Int128

    public init(units: Int128) {
        self.units = units
    }

    public static let zero = Money(units: 0)

    /// Parses a decimal number (`2.5`, `0.000001`, `1.25e-07`, `3E-7`): digits, an optional
    /// fraction and an optional exponent. Fails when the value needs more than 24 decimal
    /// places or does not fit, rather than rounding.
    public init(decimal text: String) throws(MoneyError) {
        self.units = try Money.parseUnits(text, scale: Money.scale)
    }

    /// A price quoted per `divisor` units (e.g. USD per million tokens), as an exact amount per
    /// unit; fails when the quotient needs more than 24 decimal places.
    public init(decimal text: String, per divisor: Int128) throws(MoneyError) {
        let total = try Money.parseUnits(text, scale: Money.scale)
        let (quotient, remainder) = total.quotientAndRemainder(dividingBy: divisor)
        if remainder != 0 {
            throw MoneyError(
                text: text,
                reason: "\(text) / \(divisor) needs more than \(Money.scale) decimal places of a dollar")
        }
        self.units = quotient
    }

    static func parseUnits(_ text: String, scale: Int) throws(MoneyError) -> Int128 {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var negative = false
        var seenDigit = false
        var seenPoint = false
        var index = text.utf8.startIndex
        let bytes = text.utf8
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                seenDigit = true
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte | 0x20 == UInt8(ascii: "e"), seenDigit {
                let rest = String(decoding: bytes[bytes.index(after: index)...], as: UTF8.self)
                guard let value = Int(rest), (-400...400).contains(value) else {
                    throw MoneyError(text: text, reason: "\"\(text)\" has a malformed exponent")
                }
                exponent = value
                index = bytes.endIndex
                break
            } else {
                throw MoneyError(text: text, reason: "\"\(text)\" is not a decimal number")
            }
            index = bytes.index(after: index)
        }
        guard seenDigit else { throw MoneyError(text: text, reason: "\"\(text)\" is not a decimal number") }
        // value = digits × 10^(exponent − fractionDigits); units = value × 10^scale.
        var shift = exponent - fractionDigits + scale
        while shift < 0, let last = digits.last, last == 0 {
            digits.removeLast()
            shift += 1
        }
        if shift < 0 {
            throw MoneyError(text: text, reason: "\"\(text)\" has more than \(scale) decimal places")
        }
        var units: Int128 = 0
        for digit in digits {
            let (times10, o1) = units.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int128(digit))
            if o1 || o2 { throw MoneyError(text: text, reason: "\"\(text)\" is too large") }
            units = sum
        }
        for _ in 0..<shift where units != 0 {
            let (times10, overflow) = units.multipliedReportingOverflow(by: 10)
            if overflow { throw MoneyError(text: text, reason: "\"\(text)\" is too large") }
            units = times10
        }
        return negative ? -units : units
    }

    // Sums and products saturate at the Int128 range instead of trapping: the amounts come from
    // token counts that outside producers send, and a trap would crash ingest on every restart.
    public static func + (a: Money, b: Money) -> Money {
        let (sum, overflow) = a.units.addingReportingOverflow(b.units)
        return Money(units: overflow ? (b.units > 0 ? .max : .min) : sum)
    }
    public static func - (a: Money, b: Money) -> Money {
        let (difference, overflow) = a.units.subtractingReportingOverflow(b.units)
        return Money(units: overflow ? (b.units < 0 ? .max : .min) : difference)
    }
    public static func += (a: inout Money, b: Money) { a = a + b }

    /// `count` items at this price each (e.g. tokens × price per token), saturating.
    public func times(_ count: Int64) -> Money {
        let (product, overflow) = units.multipliedReportingOverflow(by: Int128(count))
        return Money(units: overflow ? ((units < 0) == (count < 0) ? .max : .min) : product)
    }

    public static func < (a: Money, b: Money) -> Bool { a.units < b.units }

    /// The exact decimal, with all 24 places: what Postgres `numeric` receives.
    public var decimalString: String {
        let magnitude = units.magnitude
        let whole = magnitude / UInt128(Money.unitsPerDollar)
        let fraction = String(magnitude % UInt128(Money.unitsPerDollar))
        let padded = String(repeating: "0", count: Money.scale - fraction.count) + fraction
        return (units < 0 ? "-" : "") + String(whole) + "." + padded
    }

    /// The exact decimal without trailing zeros, e.g. `0.00000125`.
    public var description: String {
        var text = decimalString
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// A price or amount that cannot be represented exactly.
public struct MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { reason }
}
