extension ExponentialHistogram {
    /// The estimate of the `q`-quantile, nil when the histogram is empty or `q` is NaN.
    ///
    /// Definition (the SQL function `dl_hist_quantile` implements the same one, operation for
    /// operation): `q <= 0` gives `min`, `q >= 1` gives `max`; otherwise the target is the order
    /// statistic `x_(r)` with rank `r = max(1, ceil(q · count))` — numpy's "inverted_cdf" quantile.
    /// Walking the zero bucket and then the buckets in ascending order, the first bucket whose
    /// cumulative count reaches `r` holds `x_(r)`. For bucket `(l, u]` the estimate is the harmonic
    /// mean `2lu / (l + u)`, the point whose relative distance to both ends is `(b-1)/(b+1)`; it is
    /// computed as `l · 2b / (1 + b)`, which is the same value and cannot overflow through `l · u`.
    /// Clamping into `[min, max]` only moves the estimate closer to the data. So the estimate is
    /// within `(b-1)/(b+1)` (0.54 % at scale 6) of `x_(r)`.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, !q.isNaN else { return nil }
        if q <= 0 { return min }
        if q >= 1 { return max }
        let rank = UInt64(Swift.max((q * Double(count)).rounded(.up), 1))
        var cumulative = zeroCount
        if cumulative >= rank {
            return Swift.min(Swift.max(0, min), max)
        }
        for (k, n) in counts.enumerated() where n != 0 {
            cumulative += n
            if cumulative >= rank {
                let lower = Self.lowerBoundary(of: offset + k, scale: scale)
                let estimate = lower * Self.midpointFactor(scale: scale)
                return Swift.min(Swift.max(estimate, min), max)
            }
        }
        return max
    }

    /// `2b / (1 + b)`: the harmonic mean of a bucket `(l, l·b]` divided by `l`.
    static func midpointFactor(scale: Int) -> Double {
        let base = lowerBoundary(of: 1, scale: scale)
        return 2 * base / (1 + base)
    }

    /// The number of observations at or below `threshold`, at bucket granularity: the zero bucket
    /// (when `threshold >= 0`) plus every bucket whose index is at most `bucketIndex(of: threshold)`.
    /// A bucket that straddles the threshold counts whole, so the result can exceed the exact count
    /// by the observations in `(threshold, upper boundary of its bucket]` — a relative distance of
    /// at most `b - 1` above the threshold. It is exact when `threshold >= max` (the whole count)
    /// and when `threshold < 0` or NaN (zero). `dl_hist_count_le` in SQL gives the same numbers.
    public func count(atOrBelow threshold: Double) -> UInt64 {
        guard threshold >= 0 else { return 0 }
        if threshold >= max { return count }
        if threshold == 0 { return zeroCount }
        let limit = Self.index(of: threshold, scale: scale, scaleFactor: Self.scaleFactor(scale)) - offset
        var total = zeroCount
        for k in counts.indices {
            if k > limit { break }
            total += counts[k]
        }
        return total
    }
}
