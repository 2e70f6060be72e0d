extension JSONNumberToken {
    /// Interprets the number as seconds since the epoch and returns microseconds, exact in
    /// decimal and rounded toward the past; nil beyond ±2^63 µs. Seconds are milliseconds
    /// with the decimal point three places further right, so this is the milliseconds
    /// conversion of the same digits.
    func epochSecondsAsMicroseconds() -> Int64? {
        var milliseconds = self
        milliseconds.exponent += 3
        return milliseconds.epochMillisecondsAsMicroseconds()
    }

    /// The value when it is a whole number that fits in `Int64`, however it is written
    /// (`12`, `12.0`, `1.2e1`); nil for `12.5`.
    var integralValue: Int64? {
        if let plain = int64Value { return plain }
        guard !droppedNonZeroDigits else { return nil }
        if mantissa == 0 { return 0 }
        var magnitude = mantissa
        var exponent = self.exponent
        // Strip trailing zeros the fraction brought in (`12.00` is mantissa 1200, exponent −2).
        while exponent < 0 {
            guard magnitude % 10 == 0 else { return nil }
            magnitude /= 10
            exponent += 1
        }
        while exponent > 0 {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = product
            exponent -= 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
