import DriftlineStats
import DriftlineTestSupport
import Foundation

/// River 0.26.1's detections on the seeded streams of DriftlineStatsTests'
/// `Fixtures/drift_detectors.json`, and the streams themselves.
///
/// The streams are regenerated here as `Fixtures/streams.py` defines them (SplitMix64 turned into
/// values with exactly rounded operations only). DriftlineStatsTests' `StreamSpec` does the same,
/// but one test target cannot import another.
struct RiverStreams: Decodable {
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

    struct ADWINConfig: Decodable {
        var name: String
        var delta: Double
        var clock: Int
        var max_buckets: Int
        var min_window_length: Int
        var grace_period: Int
    }

    struct PageHinkleyConfig: Decodable {
        var name: String
        var min_instances: Int
        var delta: Double
        var threshold: Double
        var alpha: Double
        var mode: String
    }

    struct ADWINRun: Decodable {
        struct Detection: Decodable { var index: Int }
        var config: String
        var detections: [Detection]
    }

    struct PageHinkleyRun: Decodable {
        var config: String
        var detections: [Int]
    }

    struct Stream: Decodable {
        var name: String
        var seed: UInt64
        var segments: [Segment]
        var adwin: [ADWINRun]
        var page_hinkley: [PageHinkleyRun]

        /// streams.py's `generate`.
        func values() -> [Double] {
            var rng = SplitMix64(seed: seed)
            func normal() -> Double {
                var sum = 0.0
                for _ in 0..<12 { sum += rng.uniform() }
                return sum - 6
            }
            var values: [Double] = []
            for segment in segments {
                for i in 0..<segment.length {
                    switch segment.kind {
                    case "normal":
                        values.append(segment.mean! + segment.sd! * normal())
                    case "ramp":
                        let mean =
                            segment.from! + (segment.to! - segment.from!) * (Double(i) / Double(segment.length))
                        values.append(mean + segment.sd! * normal())
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

    var adwin_configs: [ADWINConfig]
    var page_hinkley_configs: [PageHinkleyConfig]
    var streams: [Stream]

    static let shared: RiverStreams = {
        let url = repositoryRoot.appendingPathComponent("Tests/DriftlineStatsTests/Fixtures/drift_detectors.json")
        do {
            return try JSONDecoder().decode(RiverStreams.self, from: Data(contentsOf: url))
        } catch {
            preconditionFailure("\(url.path): \(error)")
        }
    }()

    static var streamNames: [String] { shared.streams.map(\.name) }
    static func stream(_ name: String) -> Stream { shared.streams.first { $0.name == name }! }
}
