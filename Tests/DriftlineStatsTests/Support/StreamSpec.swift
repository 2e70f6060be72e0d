import DriftlineStats

/// A seeded stream as `Fixtures/streams.py` describes and generates it: SplitMix64 turned into
/// values with exactly rounded operations only, so both sides produce the same doubles.
struct StreamSpec: Decodable {
    struct Segment: Decodable {
        var kind: String
        var length: Int
        var mean: Double?
        var sd: Double?
        var from: Double?
        var to: Double?
        var p: Double?
        var xm: Double?
    }

    var name: String
    var seed: UInt64
    var segments: [Segment]

    func generate() -> [Double] {
        var rng = SplitMix64(seed: seed)
        var values: [Double] = []
        for segment in segments {
            for i in 0..<segment.length {
                switch segment.kind {
                case "normal":
                    values.append(segment.mean! + segment.sd! * rng.irwinHallNormal())
                case "ramp":
                    let mean = segment.from! + (segment.to! - segment.from!) * (Double(i) / Double(segment.length))
                    values.append(mean + segment.sd! * rng.irwinHallNormal())
                case "bernoulli":
                    values.append(rng.uniform() < segment.p! ? 1 : 0)
                case "pareto":
                    values.append(segment.xm! / rng.uniform())
                default:
                    preconditionFailure("unknown segment kind \(segment.kind) in stream \(name)")
                }
            }
        }
        return values
    }
}

extension SplitMix64 {
    /// Sum of 12 uniforms minus 6, left to right (streams.py's `normal`).
    mutating func irwinHallNormal() -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += uniform() }
        return sum - 6
    }
}
