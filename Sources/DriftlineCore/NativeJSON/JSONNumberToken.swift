/// A JSON number as `±mantissa × 10^exponent`, exact up to 19 significant digits, which
/// every conversion the decoder needs can use without going through text.
struct JSONNumberToken {
    var start: Int
    var end: Int = 0
    var negative = false
    var mantissa: UInt64 = 0
    var exponent = 0
    /// Non-zero significant digits beyond the 19 or 20 that fit in `mantissa` were dropped.
    var droppedNonZeroDigits = false
    /// Written without a fraction or an exponent.
    var isInteger = true

    init(start: Int) {
        self.start = start
    }

    mutating func appendDigit(_ digit: UInt8, fractional: Bool) {
        if mantissa <= (UInt64.max - 9) / 10 {
            mantissa = mantissa * 10 + UInt64(digit)
            if fractional { exponent -= 1 }
        } else {
            if !fractional { exponent += 1 }
            if digit != 0 { droppedNonZeroDigits = true }
        }
    }

    /// The value when it is written as an integer and fits in `Int64`.
    var int64Value: Int64? {
        guard isInteger, exponent == 0 else { return nil }
        if negative {
            guard mantissa <= UInt64(Int64.max) + 1 else { return nil }
            return mantissa == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mantissa)
        }
        guard mantissa <= UInt64(Int64.max) else { return nil }
        return Int64(mantissa)
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The correctly rounded `Double` when one IEEE operation gives it: the mantissa and
    /// 10^|exponent| are both exact doubles, so a single multiply or divide rounds once
    /// (W. D. Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990, the
    /// fast path). Nil otherwise.
    private var fastDouble: Double? {
        guard !droppedNonZeroDigits, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else {
            return nil
        }
        let magnitude =
            exponent >= 0
            ? Double(mantissa) * JSONNumberToken.exactPowersOfTen[exponent]
            : Double(mantissa) / JSONNumberToken.exactPowersOfTen[-exponent]
        return negative ? -magnitude : magnitude
    }

    /// The correctly rounded `Double`; ±infinity when the magnitude overflows.
    func doubleValue(in scanner: JSONScanner) -> Double {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if let fast = fastDouble { return fast }
        // The text is a JSON number, a subset of what the standard library's strtod-based
        // parser accepts, so this only fails to parse on a bug; overflow gives infinity.
        return Double(scanner.text(of: self)) ?? .nan
    }

    /// The correctly rounded `Float`; ±infinity when the magnitude overflows.
    func floatValue(in scanner: JSONScanner) -> Float {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if let double = fastDouble {
            // Rounding the exact decimal to Double and then to Float gives the correctly
            // rounded Float unless the Double lands exactly on a midpoint between two
            // Floats: rounding is monotonic and every such midpoint is a Double, so a
            // decimal strictly on one side of a midpoint rounds to a Double on the same
            // side or onto it.
            let single = Float(double)
            if single.isFinite {
                let widened = Double(single)
                if widened == double { return single }
                let neighbour = widened < double ? single.nextUp : single.nextDown
                if neighbour.isFinite, (widened + Double(neighbour)) / 2 != double { return single }
            }
        }
        return Float(scanner.text(of: self)) ?? .nan
    }

    /// Interprets the number as milliseconds since the epoch and returns microseconds,
    /// computed exactly in decimal and rounded toward the past; nil beyond ±2^63 µs.
    func epochMillisecondsAsMicroseconds() -> Int64? {
        if mantissa == 0 { return 0 }
        let scale = exponent + 3
        var magnitude: UInt64
        var remainderNonZero = droppedNonZeroDigits
        if scale >= 0 {
            guard scale <= 19 else { return nil }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: JSONNumberToken.powerOfTen(scale))
            guard !overflow else { return nil }
            magnitude = product
        } else if scale >= -19 {
            let divisor = JSONNumberToken.powerOfTen(-scale)
            magnitude = mantissa / divisor
            remainderNonZero = remainderNonZero || mantissa % divisor != 0
        } else {
            magnitude = 0
            remainderNonZero = true
        }
        if negative {
            if remainderNonZero { magnitude += 1 }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
