#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// ADWIN, adaptive windowing (Bifet & Gavaldà, "Learning from Time-Changing Data with Adaptive
/// Windowing", SDM 2007), in its ADWIN2 form: the window is compressed into exponential histogram
/// buckets (at most `maxBuckets` of each size 2^i, paper §4), and every `clock` updates each
/// bucket boundary is tried as a cut between an older sub-window W0 and a newer W1.
///
/// The semantics are those of River 0.26.1's `river.drift.ADWIN` (its Rust core
/// `rust_src/adwin.rs`), so that on identical input the detection indices are River's:
/// - the cut test is River's: `|μ0 − μ1| > sqrt(2 m σ² δ') + (2/3) δ' m` with
///   `δ' = ln(2 ln(n) / δ)`, `m = 1/(n0 − L + 1) + 1/(n1 − L + 1)` (L = `minWindowLength`) and
///   `σ²` the population variance of the whole window (paper §3, Theorem 3.1, in River's form);
/// - both sub-windows must hold at least `minWindowLength` items, no check runs until the window
///   holds more than `gracePeriod` items;
/// - when a cut holds, the oldest bucket is dropped and the scan restarts, until no cut holds;
/// - the update that finds a cut reports the drift (`driftDetected`), and the next update starts
///   from an empty detector, as River's `ADWIN.update` resets its helper after a detection.
///
/// The running sum and variance are updated in River's order of operations, so `total`,
/// `estimation` and `variance` are River's to the bit.
///
/// Non-finite values are ignored (the update leaves the detector unchanged): one NaN would poison
/// the window's sums for the rest of the stream. River has no such guard.
public struct ADWIN: Sendable, Hashable {
    /// River's parameters, same names and defaults.
    public struct Configuration: Sendable, Hashable {
        /// Confidence δ of the cut test, in (0, 1).
        public let delta: Double
        /// Cuts are looked for on every `clock`-th update (≥ 1).
        public let clock: Int
        /// Buckets of one size kept before the two oldest are merged (≥ 1).
        public let maxBuckets: Int
        /// The least number of items in each sub-window of a cut (≥ 1).
        public let minWindowLength: Int
        /// No cut is looked for while the window holds at most this many items (≥ 0).
        public let gracePeriod: Int

        /// River 0.26.1's defaults: δ 0.002, clock 32, 5 buckets, sub-windows of ≥ 5, grace period 10.
        public static let `default` = Configuration(
            unchecked: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10)

        public init(
            delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10
        ) throws {
            guard delta > 0, delta < 1 else {
                throw DriftDetectorConfigurationError(
                    parameter: "delta", value: "\(delta)", expected: "a number in (0, 1)")
            }
            guard (1...Int(Int32.max)).contains(clock) else {
                throw DriftDetectorConfigurationError(
                    parameter: "clock", value: "\(clock)", expected: "an integer of at least 1")
            }
            // A row holds maxBuckets + 1 entries before it is compressed; 255 keeps rows small.
            guard (1...255).contains(maxBuckets) else {
                throw DriftDetectorConfigurationError(
                    parameter: "max_buckets", value: "\(maxBuckets)", expected: "an integer in 1...255")
            }
            guard (1...Int(Int32.max)).contains(minWindowLength) else {
                throw DriftDetectorConfigurationError(
                    parameter: "min_window_length", value: "\(minWindowLength)",
                    expected: "an integer of at least 1")
            }
            guard (0...Int(Int32.max)).contains(gracePeriod) else {
                throw DriftDetectorConfigurationError(
                    parameter: "grace_period", value: "\(gracePeriod)", expected: "a non-negative integer")
            }
            self.init(
                unchecked: delta, clock: clock, maxBuckets: maxBuckets, minWindowLength: minWindowLength,
                gracePeriod: gracePeriod)
        }

        init(unchecked delta: Double, clock: Int, maxBuckets: Int, minWindowLength: Int, gracePeriod: Int) {
            self.delta = delta
            self.clock = clock
            self.maxBuckets = maxBuckets
            self.minWindowLength = minWindowLength
            self.gracePeriod = gracePeriod
        }
    }

    /// A part of the window: how many items and their mean.
    public struct SubWindow: Sendable, Hashable {
        public var width: Int
        public var mean: Double

        public init(width: Int, mean: Double) {
            self.width = width
            self.mean = mean
        }
    }

    /// What the detecting update cut: `before` is the older part it dropped, `after` the newer part
    /// it kept (the window River holds right after the detecting update).
    public struct Detection: Sendable, Hashable {
        public var before: SubWindow
        public var after: SubWindow

        public init(before: SubWindow, after: SubWindow) {
            self.before = before
            self.after = after
        }
    }

    public let configuration: Configuration

    /// Whether the last update found a cut. The next update starts from an empty window.
    public internal(set) var driftDetected = false

    /// The cut found by the last update; nil unless `driftDetected`.
    public internal(set) var detection: Detection?

    // The window, in River's representation. Row i holds buckets of 2^i items, oldest first; row
    // i's entries live at `i * rowStride ..< i * rowStride + rowCounts[i]` of the flat arrays, and
    // slots past `rowCounts[i]` are kept at zero so that `==` compares the logical content.
    var bucketTotals: [Double]
    var bucketVariances: [Double]
    var rowCounts: [Int]
    /// Sum of the items in the window.
    var sum: Double = 0
    /// Sum of squared deviations from the window mean (River's `variance`).
    var m2: Double = 0
    /// Items in the window, a Double as in River since the cut test divides by it.
    var count: Double = 0
    /// Updates since the last check, modulo `clock` (River counts without the modulo; same test).
    var tick = 0

    public init(configuration: Configuration = .default) {
        self.configuration = configuration
        let stride = configuration.maxBuckets + 1
        bucketTotals = [Double](repeating: 0, count: stride)
        bucketVariances = [Double](repeating: 0, count: stride)
        rowCounts = [0]
    }

    var rowStride: Int { configuration.maxBuckets + 1 }

    /// Items in the window.
    public var width: Int { Int(count) }

    /// Sum of the items in the window.
    public var total: Double { sum }

    /// Mean of the window (River's `estimation`), 0 when the window is empty.
    public var estimation: Double { count == 0 ? 0 : sum / count }

    /// Population variance of the window (River's `variance_in_window`), 0 when empty.
    public var variance: Double { count == 0 ? 0 : m2 / count }

    /// Sum of squared deviations from the window mean: what River's `ADWIN.variance` returns.
    public var sumOfSquaredDeviations: Double { m2 }

    /// Adds `value` and looks for a cut if this is a checking update. Returns `driftDetected`, or
    /// false without any change when `value` is NaN or infinite.
    @discardableResult
    public mutating func update(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if driftDetected {
            self = ADWIN(configuration: configuration)
        }
        insert(value)
        detection = findCuts()
        driftDetected = detection != nil
        return driftDetected
    }

    // MARK: Window maintenance

    private mutating func insert(_ value: Double) {
        append(total: value, variance: 0, toRow: 0)
        count += 1
        // Running variance update (Welford), in River's order of operations.
        var increment = 0.0
        if count > 1 {
            let deviation = value - sum / (count - 1)
            increment = (count - 1) * deviation * deviation / count
        }
        m2 += increment
        sum += value
        compress()
    }

    private mutating func append(total: Double, variance: Double, toRow row: Int) {
        let slot = row * rowStride + rowCounts[row]
        bucketTotals[slot] = total
        bucketVariances[slot] = variance
        rowCounts[row] += 1
    }

    /// Removes the `n` oldest entries of `row`.
    private mutating func removeOldest(_ n: Int, fromRow row: Int) {
        let base = row * rowStride
        let remaining = rowCounts[row] - n
        for k in 0..<remaining {
            bucketTotals[base + k] = bucketTotals[base + n + k]
            bucketVariances[base + k] = bucketVariances[base + n + k]
        }
        for k in remaining..<rowCounts[row] {
            bucketTotals[base + k] = 0
            bucketVariances[base + k] = 0
        }
        rowCounts[row] = remaining
    }

    /// Merges the two oldest buckets of every row that overflowed into one bucket of the next row
    /// (ADWIN2, paper §4), combining the variances as Chan et al. do for two halves.
    private mutating func compress() {
        var row = 0
        while rowCounts[row] == configuration.maxBuckets + 1 {
            let size = Double(UInt64(1) << row)
            let base = row * rowStride
            let mean0 = bucketTotals[base] / size
            let mean1 = bucketTotals[base + 1] / size
            let mergedTotal = bucketTotals[base] + bucketTotals[base + 1]
            let between = size * 0.5 * (mean0 - mean1) * (mean0 - mean1)
            let mergedVariance = bucketVariances[base] + bucketVariances[base + 1] + between
            if row + 1 == rowCounts.count {
                rowCounts.append(0)
                bucketTotals.append(contentsOf: repeatElement(0, count: rowStride))
                bucketVariances.append(contentsOf: repeatElement(0, count: rowStride))
            }
            append(total: mergedTotal, variance: mergedVariance, toRow: row + 1)
            removeOldest(2, fromRow: row)
            if rowCounts[row + 1] <= configuration.maxBuckets { break }
            row += 1
        }
    }

    /// Drops the oldest bucket and takes its items out of the sums.
    private mutating func dropOldestBucket() {
        let last = rowCounts.count - 1
        let size = Double(UInt64(1) << last)
        let bucketTotal = bucketTotals[last * rowStride]
        let bucketVariance = bucketVariances[last * rowStride]
        let bucketMean = bucketTotal / size
        count -= size
        sum -= bucketTotal
        let windowMean = sum / count
        let gap = bucketMean - windowMean
        m2 -= bucketVariance + size * count * gap * gap / (size + count)
        removeOldest(1, fromRow: last)
        // Row 0 always stays, so that an insert has somewhere to go (River would pop it and fail).
        if rowCounts[last] == 0 && last > 0 {
            rowCounts.removeLast()
            bucketTotals.removeLast(rowStride)
            bucketVariances.removeLast(rowStride)
        }
    }

    // MARK: Change detection

    /// On a checking update, drops old buckets while some cut separates sub-windows with different
    /// means; returns what was dropped and kept, or nil when nothing was.
    private mutating func findCuts() -> Detection? {
        tick += 1
        if tick == configuration.clock { tick = 0 }
        guard tick == 0, count > Double(configuration.gracePeriod) else { return nil }
        let countBefore = count
        let sumBefore = sum
        let minLength = Double(configuration.minWindowLength)
        var cutFound = false
        var rescan = true
        while rescan {
            rescan = false
            var n0 = 0.0
            var n1 = count
            var u0 = 0.0
            var u1 = sum
            // Constant over a pass (River recomputes them for every cut; the values are the same).
            let deltaPrime = log(2 * log(count) / configuration.delta)
            let windowVariance = m2 / count
            // Cuts between buckets, from the oldest bucket to the newest; the cut after the newest
            // bucket (an empty W1) is not tried.
            scan: for row in stride(from: rowCounts.count - 1, through: 0, by: -1) {
                let size = Double(UInt64(1) << row)
                let entries = rowCounts[row]
                let base = row * rowStride
                for k in 0..<entries {
                    n0 += size
                    n1 -= size
                    u0 += bucketTotals[base + k]
                    u1 -= bucketTotals[base + k]
                    if row == 0 && k == entries - 1 { break scan }
                    if n1 >= minLength && n0 >= minLength
                        && cutHolds(
                            n0: n0, n1: n1, meanGap: u0 / n0 - u1 / n1, deltaPrime: deltaPrime,
                            windowVariance: windowVariance)
                    {
                        rescan = true
                        cutFound = true
                        if count > 0 {
                            dropOldestBucket()
                            break scan
                        }
                    }
                }
            }
        }
        guard cutFound else { return nil }
        let dropped = countBefore - count
        return Detection(
            before: SubWindow(width: Int(dropped), mean: dropped == 0 ? 0 : (sumBefore - sum) / dropped),
            after: SubWindow(width: Int(count), mean: estimation))
    }

    /// River's ε_cut (see the type's documentation) against the gap between the sub-window means.
    /// `deltaPrime` is `ln(2 ln(n) / δ)` and `windowVariance` is `m2 / n` for the current window.
    @inline(__always)
    private func cutHolds(n0: Double, n1: Double, meanGap: Double, deltaPrime: Double, windowVariance: Double) -> Bool {
        let minLength = Double(configuration.minWindowLength)
        let m = 1 / (n0 - minLength + 1) + 1 / (n1 - minLength + 1)
        let epsilon = (2 * m * windowVariance * deltaPrime).squareRoot() + 2.0 / 3.0 * deltaPrime * m
        return abs(meanGap) > epsilon
    }
}
