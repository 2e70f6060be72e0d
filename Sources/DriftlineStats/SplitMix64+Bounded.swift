extension SplitMix64 {
    /// Uniform in `0..<bound` (`bound` ≥ 1) by Lemire's multiply-and-reject method ("Fast Random
    /// Integer Generation in an Interval", ACM TOMACS 29(1), 2019, algorithm 5): unbiased, and fixed
    /// here rather than left to the standard library's `random(in:using:)`, whose algorithm may
    /// change between Swift releases, so that a seed gives the same draws everywhere.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "an empty range has no element to draw")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
