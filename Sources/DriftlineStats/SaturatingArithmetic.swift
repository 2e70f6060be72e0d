extension Int64 {
    /// Adds `other`, stopping at `Int64.max` / `Int64.min` instead of trapping.
    ///
    /// Counters fold values that come from outside (token counts from request logs). Decoders
    /// bound each value, but a window can still receive any number of records, and a trap here
    /// would crash the process on every restart (the same records are read again), so every
    /// counter sum saturates. The SQL side does the same with `dl_sat_add`.
    public mutating func saturatingAdd(_ other: Int64) {
        let (sum, overflow) = addingReportingOverflow(other)
        self = overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self + other`, saturating (see ``saturatingAdd(_:)``).
    public func saturatingAdding(_ other: Int64) -> Int64 {
        var sum = self
        sum.saturatingAdd(other)
        return sum
    }
}
