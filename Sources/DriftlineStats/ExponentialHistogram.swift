#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A mergeable histogram of non-negative values with logarithmic buckets and a bounded relative error.
///
/// The bucket layout is the one of OpenTelemetry exponential histograms and Prometheus native
/// histograms (OTel metrics data model, "ExponentialHistogram"): at scale `s` the base is
/// `b = 2^(2^-s)` and bucket `i` holds the values in `(b^i, b^(i+1)]`. Zero has its own bucket.
/// Because the layout depends only on the scale, two histograms of the same scale merge by adding
/// counts bucket by bucket, and merging per-window histograms gives exactly the histogram of the
/// union; a finer scale is merged into a coarser one by mapping index `i` to `i >> shift`, since
/// every bucket at scale `s` lies inside one bucket at scale `s - shift`.
///
/// At the default scale 6 (`b ≈ 1.0109`) a quantile is within `(b-1)/(b+1) ≈ 0.54 %` of the exact
/// order statistic (see `quantile(_:)`).
///
/// Counts are kept dense (`counts[k]` is bucket `offset + k`, like the OTel SDKs' bucket
/// array) so that `record` is an index computation and an array increment. The array covers the
/// range of recorded indexes plus some zero slack on either side; the slack is not part of the
/// value, so `==` and `hash(into:)` compare the logical content only.
public struct ExponentialHistogram: Sendable {
    /// 2^(2^-6): relative error ≤ 0.54 % per bucket, ~64 buckets per doubling.
    public static let defaultScale = 6

    /// The scales OpenTelemetry allows (data model, "Scale"); outside it the index math or the
    /// dense bucket array would overflow.
    public static let scaleRange: ClosedRange<Int> = -10...20

    /// A bucket with a non-zero count.
    public struct Bucket: Sendable, Hashable {
        public var index: Int32
        public var count: UInt64

        public init(index: Int32, count: UInt64) {
            self.index = index
            self.count = count
        }
    }

    public private(set) var scale: Int
    public private(set) var zeroCount: UInt64 = 0
    /// All observations, including `zeroCount`.
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0
    /// `.infinity` when empty.
    public private(set) var min: Double = .infinity
    /// `-.infinity` when empty.
    public private(set) var max: Double = -.infinity

    /// `counts[k]` is the count of bucket `offset + k`; entries outside the recorded range are zero.
    private(set) var counts: [UInt64] = []
    private(set) var offset: Int = 0
    /// `log2(e) * 2^scale`, cached because `record` needs it on every call.
    private var scaleFactor: Double

    /// An empty histogram. `scale` must lie in `scaleRange` (a programming error otherwise).
    public init(scale: Int = defaultScale) {
        precondition(Self.scaleRange.contains(scale), "scale \(scale) outside \(Self.scaleRange)")
        self.scale = scale
        self.scaleFactor = Self.scaleFactor(scale)
    }

    public var isEmpty: Bool { count == 0 }

    /// `sum / count`, nil when empty.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    /// The buckets with a non-zero count, ascending by index (the zero bucket is `zeroCount`).
    public var buckets: [Bucket] {
        var result: [Bucket] = []
        for (k, n) in counts.enumerated() where n != 0 {
            result.append(Bucket(index: Int32(offset + k), count: n))
        }
        return result
    }

    // MARK: Recording

    /// Records one observation. Returns false, leaving the histogram unchanged, when `value` is
    /// negative, NaN or infinite: the histogram only describes non-negative finite quantities.
    @discardableResult
    public mutating func record(_ value: Double) -> Bool {
        record(value, count: 1)
    }

    /// Records `n` observations of `value`; false (and no change) for a negative or non-finite value.
    @discardableResult
    public mutating func record(_ value: Double, count n: UInt64) -> Bool {
        guard value.isFinite, value >= 0 else { return false }
        guard n > 0 else { return true }
        // -0.0 compares equal to 0 and would otherwise become the minimum with its sign.
        let value = value == 0 ? 0 : value
        if value == 0 {
            zeroCount += n
        } else {
            add(n, toBucket: Self.index(of: value, scale: scale, scaleFactor: scaleFactor))
        }
        count += n
        sum += n == 1 ? value : value * Double(n)
        if value < min { min = value }
        if value > max { max = value }
        return true
    }

    /// Adds `other` into this histogram. Counts are exact: merging the histograms of the parts of a
    /// data set gives the histogram of the whole. When the scales differ the result has the coarser
    /// scale (OTel data model, "Exponential Scale" — downscaling maps index `i` to `i >> shift`).
    public mutating func merge(_ other: ExponentialHistogram) {
        if other.scale < scale {
            downscale(to: other.scale)
        }
        let shift = other.scale - scale
        if let (low, high) = other.nonZeroRange {
            reserveBuckets(from: (other.offset + low) >> shift, through: (other.offset + high) >> shift)
            for k in low...high where other.counts[k] != 0 {
                counts[((other.offset + k) >> shift) - offset] += other.counts[k]
            }
        }
        zeroCount += other.zeroCount
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// Changes to a coarser scale by merging groups of `2^(scale - newScale)` adjacent buckets.
    private mutating func downscale(to newScale: Int) {
        let shift = scale - newScale
        scale = newScale
        scaleFactor = Self.scaleFactor(newScale)
        guard let (low, high) = nonZeroRange else {
            counts = []
            return
        }
        let newOffset = (offset + low) >> shift
        var merged = [UInt64](repeating: 0, count: ((offset + high) >> shift) - newOffset + 1)
        for k in low...high {
            merged[((offset + k) >> shift) - newOffset] += counts[k]
        }
        counts = merged
        offset = newOffset
    }

    private mutating func add(_ n: UInt64, toBucket index: Int) {
        let k = index &- offset
        if k >= 0 && k < counts.count {
            counts[k] += n
        } else {
            reserveBuckets(from: index, through: index)
            counts[index - offset] += n
        }
    }

    /// Grows the dense array to cover `low...high`, leaving slack in the direction it grew. The slack
    /// is an eighth of the current size (geometric, so a slowly widening range costs amortized O(1)
    /// per record) rather than a doubling: thousands of live histograms are kept at once, and
    /// memory traffic, not copying, is what costs when they are updated in random order.
    private mutating func reserveBuckets(from low: Int, through high: Int) {
        if counts.isEmpty {
            let slack = 16
            offset = low - slack
            counts = [UInt64](repeating: 0, count: high - low + 1 + 2 * slack)
            return
        }
        let end = offset + counts.count
        guard low < offset || high >= end else { return }
        let slack = 16 + counts.count / 8
        let newLow = low < offset ? low - slack : offset
        let newEnd = high >= end ? high + 1 + slack : end
        var grown = [UInt64](repeating: 0, count: newEnd - newLow)
        let start = offset - newLow
        grown.withUnsafeMutableBufferPointer { target in
            counts.withUnsafeBufferPointer { source in
                for k in source.indices {
                    target[start + k] = source[k]
                }
            }
        }
        counts = grown
        offset = newLow
    }

    /// The positions in `counts` of the first and last non-zero bucket, nil if there is none.
    private var nonZeroRange: (low: Int, high: Int)? {
        guard let low = counts.firstIndex(where: { $0 != 0 }),
            let high = counts.lastIndex(where: { $0 != 0 })
        else { return nil }
        return (low, high)
    }

    // MARK: Bucket mapping

    /// The index of the bucket holding `value` (which must be positive and finite) at `scale`.
    ///
    /// OTel metrics data model, "Exponential Buckets", "Producer Expectations": "All Scales: Use the
    /// Logarithm Function" for a positive scale, with its exact special case for powers of two, and
    /// "Negative Scale: Extract and Shift the Exponent" for scale ≤ 0.
    public static func bucketIndex(of value: Double, scale: Int) -> Int32 {
        precondition(value > 0 && value.isFinite, "bucketIndex needs a positive finite value, got \(value)")
        precondition(scaleRange.contains(scale), "scale \(scale) outside \(scaleRange)")
        return Int32(index(of: value, scale: scale, scaleFactor: scaleFactor(scale)))
    }

    /// `base^index`, the exclusive lower boundary of bucket `index` (and the inclusive upper
    /// boundary of bucket `index - 1`). Exact for powers of two.
    ///
    /// Computed as `exp(r · ln2 / 2^scale) · 2^octave` with `index = octave · 2^scale + r`, so that
    /// only the in-octave fraction goes through `exp` (the OTel reference, `exp(index · ln2 /
    /// 2^scale)`, loses exactness at powers of two for large octaves). The SQL function
    /// `dl_hist_lower_boundary` performs the same floating-point operations in the same order, so
    /// quantiles read in Swift and in PostgreSQL agree to the bit.
    public static func lowerBoundary(of index: Int32, scale: Int) -> Double {
        precondition(scaleRange.contains(scale), "scale \(scale) outside \(scaleRange)")
        return lowerBoundary(of: Int(index), scale: scale)
    }

    static func lowerBoundary(of index: Int, scale: Int) -> Double {
        var octave: Int
        var fraction = 1.0
        if scale <= 0 {
            octave = index << -scale
        } else {
            octave = index >> scale
            let r = index - (octave << scale)
            if r > 0 {
                fraction = exp(Double(r) * (ln2 * powerOfTwo(-scale)))
            }
        }
        if octave > 1023 {
            return .infinity
        } else if octave >= -1022 {
            return fraction * powerOfTwo(octave)
        } else if fraction == 1 && octave < -1074 {
            return 0
        } else {
            // Subnormal boundaries: scale up first so the only rounding is that of the final product
            // (PostgreSQL raises an error on an intermediate underflow to zero).
            return (fraction * powerOfTwo(octave + 64)) * powerOfTwo(-64)
        }
    }

    // The literals, not `M_LN2`/`M_LOG2E`: the SQL functions spell the same doubles.
    static let ln2 = 0.6931471805599453
    static let log2e = 1.4426950408889634

    static func scaleFactor(_ scale: Int) -> Double {
        log2e * powerOfTwo(scale)
    }

    /// `2^e`, exact for `e` in `-1074...1023`.
    @inline(__always)
    static func powerOfTwo(_ e: Int) -> Double {
        Double(sign: .plus, exponent: e, significand: 1)
    }

    @inline(__always)
    static func index(of value: Double, scale: Int, scaleFactor: Double) -> Int {
        // `exponent` is the unbiased binary exponent, also for subnormals (it normalizes them).
        let exponent = Int(value.exponent)
        let isPowerOfTwo =
            value.significandBitPattern == 0 || (value.isSubnormal && value.significandBitPattern.nonzeroBitCount == 1)
        if scale <= 0 {
            // Buckets are upper-inclusive, so 2^e belongs to the bucket below the one starting at 2^e.
            return (isPowerOfTwo ? exponent - 1 : exponent) >> -scale
        }
        if isPowerOfTwo {
            return (exponent << scale) - 1
        }
        // floor(log(v) · 2^scale / ln 2), as the OTel reference. `log` can be off by an ulp, which near
        // an octave's ends could put `v` in the neighbouring octave; the exponent bounds the index exactly.
        let index = Int((log(value) * scaleFactor).rounded(.down))
        return Swift.min(Swift.max(index, exponent << scale), ((exponent + 1) << scale) - 1)
    }
}

// MARK: - Equality

extension ExponentialHistogram: Equatable, Hashable {
    /// Logical equality: same scale, summary fields and non-zero buckets, regardless of the
    /// capacity and position of the dense bucket array.
    public static func == (lhs: ExponentialHistogram, rhs: ExponentialHistogram) -> Bool {
        guard lhs.scale == rhs.scale, lhs.zeroCount == rhs.zeroCount, lhs.count == rhs.count,
            lhs.sum == rhs.sum, lhs.min == rhs.min, lhs.max == rhs.max
        else { return false }
        switch (lhs.nonZeroRange, rhs.nonZeroRange) {
        case (nil, nil):
            return true
        case (let l?, let r?):
            guard lhs.offset + l.low == rhs.offset + r.low, l.high - l.low == r.high - r.low else { return false }
            return lhs.counts[l.low...l.high].elementsEqual(rhs.counts[r.low...r.high])
        default:
            return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scale)
        hasher.combine(zeroCount)
        hasher.combine(count)
        hasher.combine(sum)
        hasher.combine(min)
        hasher.combine(max)
        if let (low, high) = nonZeroRange {
            hasher.combine(offset + low)
            for k in low...high {
                hasher.combine(counts[k])
            }
        }
    }
}

// MARK: - Rebuilding from stored parts

extension ExponentialHistogram {
    /// The most buckets a rebuilt histogram may span. Recording can never exceed ~134 k buckets at
    /// the default scale (the whole double range), but a stored row at a fine scale with far-apart
    /// indexes would make the dense array huge, so rows claiming more are rejected as corrupt.
    public static let maxBucketSpan = 1 << 22

    /// Rebuilds a histogram from its stored parts; `count` is derived (`zeroCount` + bucket counts).
    ///
    /// Throws when the parts cannot come from a histogram: scale out of range, buckets not strictly
    /// ascending or with a zero count, an empty histogram whose min/max/sum are not the empty
    /// values, or min/max/sum that are negative, NaN or inconsistent.
    public init(
        scale: Int, zeroCount: UInt64, sum: Double, min: Double, max: Double, buckets: [Bucket]
    ) throws {
        guard Self.scaleRange.contains(scale) else {
            throw ExponentialHistogramError(.invalidParts, "scale \(scale) is outside \(Self.scaleRange)")
        }
        var total = zeroCount
        var previous: Int32?
        for bucket in buckets {
            if let previous, bucket.index <= previous {
                throw ExponentialHistogramError(
                    .invalidParts, "bucket indexes are not strictly ascending (\(bucket.index) after \(previous))")
            }
            guard bucket.count > 0 else {
                throw ExponentialHistogramError(.invalidParts, "bucket \(bucket.index) has a zero count")
            }
            let (sum, overflow) = total.addingReportingOverflow(bucket.count)
            guard !overflow else {
                throw ExponentialHistogramError(.invalidParts, "the bucket counts overflow UInt64")
            }
            total = sum
            previous = bucket.index
        }
        if total == 0 {
            guard min == .infinity, max == -.infinity, sum == 0 else {
                throw ExponentialHistogramError(
                    .invalidParts, "an empty histogram must have min Infinity, max -Infinity and sum 0")
            }
        } else {
            guard min.isFinite, max.isFinite, min >= 0, min <= max else {
                throw ExponentialHistogramError(
                    .invalidParts, "min \(min) and max \(max) must be finite with 0 <= min <= max")
            }
            guard sum >= 0 else {
                throw ExponentialHistogramError(.invalidParts, "sum \(sum) must be non-negative")
            }
            guard zeroCount == 0 || min == 0 else {
                throw ExponentialHistogramError(.invalidParts, "min \(min) must be 0 when zeroCount > 0")
            }
        }
        if let first = buckets.first, let last = buckets.last,
            Int(last.index) - Int(first.index) >= Self.maxBucketSpan
        {
            throw ExponentialHistogramError(
                .invalidParts, "buckets \(first.index)...\(last.index) span more than \(Self.maxBucketSpan) indexes")
        }

        self.init(scale: scale)
        self.zeroCount = zeroCount
        self.count = total
        self.sum = sum
        self.min = min
        self.max = max
        if let first = buckets.first, let last = buckets.last {
            offset = Int(first.index)
            counts = [UInt64](repeating: 0, count: Int(last.index) - Int(first.index) + 1)
            for bucket in buckets {
                counts[Int(bucket.index) - offset] = bucket.count
            }
        }
    }
}

/// A histogram that could not be rebuilt from stored parts or parsed from its text form.
public struct ExponentialHistogramError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The parts are inconsistent (see `ExponentialHistogram.init(scale:zeroCount:sum:min:max:buckets:)`).
        public static let invalidParts = Code("invalidParts")
        /// The text is not a `dl_histogram` composite literal.
        public static let malformedLiteral = Code("malformedLiteral")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "ExponentialHistogramError.\(code): \(message)" }
}
