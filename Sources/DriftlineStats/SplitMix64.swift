/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA
/// 2014): small, fast and seedable, so generated traffic is reproducible from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1): never 0, so its logarithm is finite.
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// Standard normal by the Box–Muller transform.
    public mutating func normal() -> Double {
        let u1 = uniform()
        let u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median and shape σ (the σ of the underlying normal).
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * _exp(sigma * normal())
    }

    /// Pareto with scale `xm` and shape `alpha`, by inversion: `xm / U^(1/alpha)`.
    public mutating func pareto(xm: Double, alpha: Double) -> Double {
        xm / _pow(uniform(), 1 / alpha)
    }

    public mutating func chance(_ probability: Double) -> Bool { uniform() < probability }

    /// Index drawn with probability proportional to `weights`.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
    import Foundation
    @inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
    @inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
#endif
