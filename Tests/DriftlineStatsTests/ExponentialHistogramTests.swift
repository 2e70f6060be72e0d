import DriftlineStats
import Foundation
import Testing

// Oracles here are independent of the histogram: sorted raw data for order statistics and counts,
// `pow(2, i / 2^scale)` for bucket boundaries, and recording the union for merges.

enum Samples {
    static let size = 100_000

    static func generate(_ name: String, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<size).map { _ in
            switch name {
            case "log-normal":
                return rng.logNormal(median: 250, sigma: 0.9)
            case "bimodal":
                return rng.uniform() < 0.7
                    ? rng.logNormal(median: 40, sigma: 0.3) : rng.logNormal(median: 8_000, sigma: 0.4)
            case "constant":
                return 123.456
            case "pareto":
                return rng.pareto(xm: 1, alpha: 1.2)
            case "many-octaves":
                return pow(2, -20 + 60 * rng.uniform())
            case "integers-with-zeros":
                return rng.uniform() < 0.1 ? 0 : Double(Int(rng.uniform() * 4_000))
            default:
                fatalError("unknown distribution \(name)")
            }
        }
    }

    static let distributions = ["log-normal", "bimodal", "constant", "pareto", "many-octaves", "integers-with-zeros"]
}

/// The "inverted_cdf" order statistic `x_(max(1, ceil(q n)))` of sorted data.
func exactQuantile(_ sorted: [Double], _ q: Double) -> Double {
    if q <= 0 { return sorted[0] }
    if q >= 1 { return sorted[sorted.count - 1] }
    let rank = Swift.max(Int((q * Double(sorted.count)).rounded(.up)), 1)
    return sorted[rank - 1]
}

func histogram(_ values: some Sequence<Double>, scale: Int = ExponentialHistogram.defaultScale)
    -> ExponentialHistogram
{
    var h = ExponentialHistogram(scale: scale)
    for v in values { h.record(v) }
    return h
}

/// Equality of everything but `sum`, which depends on the order of the additions; `sum` within 1e-9 relative.
func expectSameContent(
    _ a: ExponentialHistogram, _ b: ExponentialHistogram, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(a.scale == b.scale, sourceLocation: sourceLocation)
    #expect(a.zeroCount == b.zeroCount, sourceLocation: sourceLocation)
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    #expect(a.min == b.min, sourceLocation: sourceLocation)
    #expect(a.max == b.max, sourceLocation: sourceLocation)
    #expect(a.buckets == b.buckets, sourceLocation: sourceLocation)
    #expect(abs(a.sum - b.sum) <= 1e-9 * Swift.max(abs(a.sum), abs(b.sum)), sourceLocation: sourceLocation)
}

/// The length of the prefix of `sorted` whose elements satisfy `predicate` (true, then false along `sorted`).
func prefixCount<T>(_ sorted: [T], where predicate: (T) -> Bool) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if predicate(sorted[mid]) { low = mid + 1 } else { high = mid }
    }
    return low
}

/// `2^(index / 2^scale)` through `pow`, a different route from the histogram's `exp`/ldexp.
func oracleBoundary(_ index: Int, scale: Int) -> Double {
    pow(2, Double(index) / pow(2, Double(scale)))
}

@Suite struct ExponentialHistogramQuantileTests {
    static let quantiles = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

    /// (b-1)/(b+1) at the default scale, plus room for the last-ulp rounding of the estimate.
    static let errorBound = (pow(2, 1 / 64.0) - 1) / (pow(2, 1 / 64.0) + 1) + 1e-12

    @Test(arguments: Samples.distributions)
    func quantilesAreWithinOnePercentOfTheOrderStatistic(distribution: String) {
        let data = Samples.generate(distribution, seed: 0x5EED_0000 + UInt64(distribution.utf8.count))
        let sorted = data.sorted()
        let h = histogram(data)
        var worst = 0.0
        var worstQ = 0.0
        for q in Self.quantiles {
            let exact = exactQuantile(sorted, q)
            guard let estimate = h.quantile(q) else {
                Issue.record("no estimate for q=\(q)")
                continue
            }
            let error = exact == 0 ? abs(estimate) : abs(estimate - exact) / exact
            if error > worst { (worst, worstQ) = (error, q) }
            #expect(error <= 0.01, "\(distribution) q=\(q): estimate \(estimate), exact \(exact)")
            #expect(error <= Self.errorBound, "\(distribution) q=\(q): estimate \(estimate), exact \(exact)")
        }
        print("\(distribution): worst relative quantile error \(worst) at q=\(worstQ)")
    }

    @Test func quantileIsBetweenNeighbouringRanksForManyQ() {
        let data = Samples.generate("log-normal", seed: 42)
        let sorted = data.sorted()
        let h = histogram(data)
        for step in 1..<1_000 {
            let q = Double(step) / 1_000
            let exact = exactQuantile(sorted, q)
            let estimate = h.quantile(q)!
            #expect(abs(estimate - exact) / exact <= Self.errorBound, "q=\(q)")
        }
    }

    @Test func extremesAreExactMinAndMax() {
        let data = Samples.generate("pareto", seed: 7)
        let h = histogram(data)
        #expect(h.quantile(0) == data.min())
        #expect(h.quantile(-1) == data.min())
        #expect(h.quantile(1) == data.max())
        #expect(h.quantile(2) == data.max())
        #expect(h.quantile(.nan) == nil)
    }

    @Test func meanIsSumOverCount() {
        let data = Samples.generate("bimodal", seed: 9)
        let h = histogram(data)
        let exact = data.reduce(0, +) / Double(data.count)
        #expect(abs(h.mean! - exact) / exact < 1e-12)
        #expect(h.count == UInt64(data.count))
    }
}

@Suite struct ExponentialHistogramBucketTests {
    @Test func powersOfTwoLandWhereOpenTelemetrySays() {
        // OTel data model, "Exponential Buckets": buckets are upper-inclusive, so 2^k at scale s > 0 is the
        // last bucket of the octave below, index (k << s) - 1; at s <= 0 it is ((k - 1) >> -s).
        var mismatches: [String] = []
        func check(_ v: Double, _ scale: Int, _ expected: Int) {
            let index = ExponentialHistogram.bucketIndex(of: v, scale: scale)
            if index != Int32(expected) { mismatches.append("\(v) at scale \(scale): \(index), expected \(expected)") }
        }
        for k in -1074...1023 {
            let v = Double(sign: .plus, exponent: k, significand: 1)
            for scale in 1...20 { check(v, scale, (k << scale) - 1) }
            for scale in -10...0 { check(v, scale, (k - 1) >> -scale) }
            if k > -1022 && k < 1023 {
                // Neighbours of a (normal) power of two fall on either side of the octave boundary.
                for scale in [1, 6, 12] {
                    check(v.nextUp, scale, k << scale)
                    check(v.nextDown, scale, (k << scale) - 1)
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test func knownIndexesAtScaleSix() {
        // 3 = 2^1.58496...: floor(1.58496 * 64) = 101; 1000 = 2^9.96578...: floor(637.81) = 637.
        #expect(ExponentialHistogram.bucketIndex(of: 3, scale: 6) == 101)
        #expect(ExponentialHistogram.bucketIndex(of: 1000, scale: 6) == 637)
        #expect(ExponentialHistogram.bucketIndex(of: 1, scale: 6) == -1)
        #expect(ExponentialHistogram.bucketIndex(of: 0.5, scale: 6) == -65)
        #expect(ExponentialHistogram.bucketIndex(of: .greatestFiniteMagnitude, scale: 6) == 65535)
        #expect(ExponentialHistogram.bucketIndex(of: .leastNonzeroMagnitude, scale: 6) == -68737)
    }

    @Test func randomValuesLieInsideTheirBucket() {
        var rng = SplitMix64(seed: 2024)
        var outside: [String] = []
        var boundaryDisagreements: [String] = []
        for _ in 0..<100_000 {
            let v = pow(2, -60 + 120 * rng.uniform())
            let scale = Int(rng.next() % 14) - 3
            let i = Int(ExponentialHistogram.bucketIndex(of: v, scale: scale))
            let lower = oracleBoundary(i, scale: scale)
            let upper = oracleBoundary(i + 1, scale: scale)
            if !(lower < v && v <= upper) {
                outside.append("v=\(v) scale=\(scale) index=\(i) bucket=(\(lower), \(upper)]")
            }
            // The histogram's own boundaries agree with the oracle (pow and exp differ in the last bits only).
            let own = ExponentialHistogram.lowerBoundary(of: Int32(i), scale: scale)
            if abs(own - lower) > 4 * lower.ulp {
                boundaryDisagreements.append("index \(i) scale \(scale): \(own) vs \(lower)")
            }
        }
        #expect(outside.isEmpty, "\(outside.count) values outside their bucket: \(outside.prefix(5))")
        #expect(boundaryDisagreements.isEmpty, "\(boundaryDisagreements.prefix(5))")
    }

    @Test func lowerBoundaryIsExactAtPowersOfTwo() {
        for k in -1022...1023 {
            let v = Double(sign: .plus, exponent: k, significand: 1)
            #expect(ExponentialHistogram.lowerBoundary(of: Int32(k << 6), scale: 6) == v)
            #expect(ExponentialHistogram.lowerBoundary(of: Int32(k), scale: 0) == v)
        }
    }
}

@Suite struct ExponentialHistogramMergeTests {
    @Test(arguments: Samples.distributions)
    func mergeOfRandomPartsEqualsTheWhole(distribution: String) {
        let data = Samples.generate(distribution, seed: 99)
        var rng = SplitMix64(seed: 1234)
        var parts = [ExponentialHistogram](repeating: ExponentialHistogram(), count: 7)
        for v in data {
            parts[Int(rng.next() % 7)].record(v)
        }
        var merged = ExponentialHistogram()
        for part in parts { merged.merge(part) }
        expectSameContent(merged, histogram(data))
    }

    @Test func mergeIsCommutativeAndAssociative() {
        let a = histogram(Samples.generate("log-normal", seed: 1).prefix(5_000))
        let b = histogram(Samples.generate("pareto", seed: 2).prefix(5_000))
        let c = histogram(Samples.generate("bimodal", seed: 3).prefix(5_000))

        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab == ba)

        var abThenC = ab
        abThenC.merge(c)
        var bc = b
        bc.merge(c)
        var aThenBC = a
        aThenBC.merge(bc)
        expectSameContent(abThenC, aThenBC)
    }

    @Test func mergeWithEmptyIsIdentity() {
        let a = histogram(Samples.generate("many-octaves", seed: 5).prefix(1_000))
        var x = a
        x.merge(ExponentialHistogram())
        #expect(x == a)
        var y = ExponentialHistogram()
        y.merge(a)
        #expect(y == a)
    }

    @Test func mergeAcrossScalesDownscalesTheFinerOne() {
        let data = Samples.generate("log-normal", seed: 11)
        let fine = histogram(data[..<50_000], scale: 9)
        let coarse = histogram(data[50_000...], scale: 6)

        var fineIntoCoarse = coarse
        fineIntoCoarse.merge(fine)
        var coarseIntoFine = fine
        coarseIntoFine.merge(coarse)

        let oracle = histogram(data, scale: 6)
        expectSameContent(fineIntoCoarse, oracle)
        expectSameContent(coarseIntoFine, oracle)
        #expect(coarseIntoFine.scale == 6)
    }

    @Test func downscalingNegativeIndexesUsesFloorShift() {
        // Values below 1 have negative indexes; i >> shift must round toward -infinity.
        let data = (1...2_000).map { Double($0) * 1e-4 }
        var merged = histogram(data[..<1_000], scale: 3)
        merged.merge(histogram(data[1_000...], scale: 0))
        expectSameContent(merged, histogram(data, scale: 0))
    }

    @Test func recordWithCountEqualsRepeatedRecords() {
        var repeated = ExponentialHistogram()
        var counted = ExponentialHistogram()
        for (v, n) in [(3.5, 4), (0.0, 3), (1e6, 1), (0.02, 10)] {
            for _ in 0..<n { repeated.record(v) }
            let accepted = counted.record(v, count: UInt64(n))
            #expect(accepted)
        }
        expectSameContent(counted, repeated)
        let acceptedNone = counted.record(5, count: 0)
        #expect(acceptedNone)
        expectSameContent(counted, repeated)
        let acceptedNegative = counted.record(-1, count: 3)
        #expect(!acceptedNegative)
        expectSameContent(counted, repeated)
    }
}

@Suite struct ExponentialHistogramCountTests {
    @Test(arguments: ["log-normal", "integers-with-zeros", "many-octaves"])
    func countAtOrBelowMatchesBruteForceAtBucketGranularity(distribution: String) {
        let data = Samples.generate(distribution, seed: 321)
        let sorted = data.sorted()
        let h = histogram(data)
        let scale = h.scale
        var rng = SplitMix64(seed: 77)
        var thresholds: [Double] = [-1, 0, 1, 2, 1024, .infinity, sorted[0], sorted[sorted.count - 1]]
        for _ in 0..<1_000 {
            thresholds.append(sorted[Int(rng.next() % UInt64(sorted.count))])
            thresholds.append(sorted[0] + (sorted[sorted.count - 1] - sorted[0]) * rng.uniform())
        }
        // Each value's bucket, computed once; the zero bucket sorts below every other.
        let indexes = sorted.map { $0 == 0 ? Int32.min : ExponentialHistogram.bucketIndex(of: $0, scale: scale) }
        // The bucket mapping is monotone, so counts below a threshold are prefixes of the sorted data.
        #expect(zip(indexes, indexes.dropFirst()).allSatisfy { $0 <= $1 })
        let ratio = pow(2, 1 / 64.0) * (1 + 1e-12)
        var failures: [String] = []
        for t in thresholds {
            let result = h.count(atOrBelow: t)
            // Brute force over the raw data with the bucket-granular definition.
            var granular = 0
            if t >= sorted[sorted.count - 1] {
                granular = sorted.count
            } else if t == 0 {
                granular = prefixCount(sorted, where: { $0 == 0 })
            } else if t > 0 {
                let limit = ExponentialHistogram.bucketIndex(of: t, scale: scale)
                granular = prefixCount(indexes, where: { $0 <= limit })
            }
            // And the sandwich: at least the exact count, at most the count up to t's bucket's upper end.
            let exact = prefixCount(sorted, where: { $0 <= t })
            let loose = t > 0 ? prefixCount(sorted, where: { $0 <= t * ratio }) : exact
            if result != UInt64(granular) || UInt64(exact) > result || result > UInt64(loose) {
                failures.append("t=\(t): \(result), brute force \(granular), exact \(exact), loose \(loose)")
            }
        }
        #expect(failures.isEmpty, "\(distribution): \(failures.prefix(5))")
        #expect(h.count(atOrBelow: .nan) == 0)
    }
}

@Suite struct ExponentialHistogramEdgeCaseTests {
    @Test func emptyHistogram() {
        let h = ExponentialHistogram()
        #expect(h.isEmpty)
        #expect(h.count == 0)
        #expect(h.quantile(0.5) == nil)
        #expect(h.quantile(0) == nil)
        #expect(h.mean == nil)
        #expect(h.min == .infinity)
        #expect(h.max == -.infinity)
        #expect(h.buckets.isEmpty)
        #expect(h.count(atOrBelow: 10) == 0)
        #expect(h.scale == 6)
    }

    @Test func singleValue() {
        let h = histogram([42.42])
        for q in [0, 0.01, 0.5, 0.99, 1] {
            #expect(h.quantile(q) == 42.42)
        }
        #expect(h.mean == 42.42)
        #expect(h.buckets == [.init(index: ExponentialHistogram.bucketIndex(of: 42.42, scale: 6), count: 1)])
        #expect(h.count(atOrBelow: 42.41) == 1)  // bucket-granular: same bucket
        #expect(h.count(atOrBelow: 40) == 0)
    }

    @Test func zerosGoToTheZeroBucket() {
        var h = ExponentialHistogram()
        for _ in 0..<10 { h.record(0) }
        h.record(-0.0)
        #expect(h.zeroCount == 11)
        #expect(h.count == 11)
        #expect(h.buckets.isEmpty)
        #expect(h.quantile(0.5) == 0)
        #expect(h.min == 0 && h.min.sign == .plus)
        h.record(5)
        #expect(h.quantile(0.5) == 0)
        #expect(h.quantile(1) == 5)
        #expect(h.count(atOrBelow: 0) == 11)
        #expect(h.count(atOrBelow: 4) == 11)
    }

    @Test func invalidValuesAreRejected() {
        var h = histogram([1, 2, 3])
        let before = h
        for bad in [-1, -0.0001, .nan, .infinity, -.infinity, -.greatestFiniteMagnitude] {
            let accepted = h.record(bad)
            #expect(!accepted, "\(bad)")
        }
        #expect(h == before)
    }

    @Test func extremeValuesDoNotTrap() {
        let h = histogram([.leastNonzeroMagnitude, .greatestFiniteMagnitude, 1])
        #expect(h.count == 3)
        #expect(h.quantile(0.5) != nil)
        let top = h.quantile(0.99)!
        #expect(abs(top - .greatestFiniteMagnitude) / .greatestFiniteMagnitude < 0.0055)
        #expect(h.count(atOrBelow: 1) == 2)
    }

    @Test func equalityIgnoresStorageLayout() {
        let data = Samples.generate("many-octaves", seed: 3).prefix(2_000)
        let forward = histogram(data)
        let backward = histogram(data.reversed())
        let sortedOrder = histogram(data.sorted())
        #expect(forward.buckets == backward.buckets)
        // Sums differ by rounding with the order; compare the rest and then a rebuilt copy.
        expectSameContent(forward, backward)
        expectSameContent(forward, sortedOrder)
        let rebuilt = try? ExponentialHistogram(
            scale: forward.scale, zeroCount: forward.zeroCount, sum: forward.sum, min: forward.min,
            max: forward.max, buckets: forward.buckets)
        #expect(rebuilt == forward)
        #expect(rebuilt?.hashValue == forward.hashValue)
        #expect(rebuilt?.quantile(0.9) == forward.quantile(0.9))
    }

    @Test func rebuildValidatesParts() throws {
        typealias H = ExponentialHistogram
        let empty = try H(scale: 6, zeroCount: 0, sum: 0, min: .infinity, max: -.infinity, buckets: [])
        #expect(empty == H())
        let valid = try H(scale: 6, zeroCount: 1, sum: 10, min: 0, max: 9, buckets: [.init(index: 200, count: 2)])
        #expect(valid.count == 3)

        let invalid: [() throws -> H] = [
            { try H(scale: 21, zeroCount: 0, sum: 0, min: .infinity, max: -.infinity, buckets: []) },
            { try H(scale: 6, zeroCount: 0, sum: 1, min: 1, max: 1, buckets: [.init(index: 3, count: 0)]) },
            {
                try H(
                    scale: 6, zeroCount: 0, sum: 1, min: 1, max: 2,
                    buckets: [.init(index: 3, count: 1), .init(index: 3, count: 1)])
            },
            {
                try H(
                    scale: 6, zeroCount: 0, sum: 1, min: 1, max: 2,
                    buckets: [.init(index: 5, count: 1), .init(index: 3, count: 1)])
            },
            { try H(scale: 6, zeroCount: 0, sum: 0, min: 0, max: 0, buckets: []) },
            { try H(scale: 6, zeroCount: 0, sum: 1, min: 2, max: 1, buckets: [.init(index: 3, count: 1)]) },
            { try H(scale: 6, zeroCount: 0, sum: .nan, min: 1, max: 1, buckets: [.init(index: 3, count: 1)]) },
            { try H(scale: 6, zeroCount: 1, sum: 1, min: 1, max: 1, buckets: [.init(index: 3, count: 1)]) },
            {
                try H(
                    scale: 20, zeroCount: 0, sum: 1, min: 1, max: 2,
                    buckets: [.init(index: -2_000_000_000, count: 1), .init(index: 2_000_000_000, count: 1)])
            },
        ]
        for make in invalid {
            #expect(throws: ExponentialHistogramError.self) { try make() }
        }
    }
}
