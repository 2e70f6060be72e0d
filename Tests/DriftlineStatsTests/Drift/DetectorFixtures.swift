import DriftlineStats

/// `Fixtures/drift_detectors.json`: River 0.26.1's ADWIN and Page-Hinkley on seeded streams,
/// written by `make_drift_detector_fixtures.py`.
struct DetectorFixtures: Decodable {
    struct ADWINConfig: Decodable {
        var name: String
        var delta: Double
        var clock: Int
        var max_buckets: Int
        var min_window_length: Int
        var grace_period: Int

        func configuration() throws -> ADWIN.Configuration {
            try ADWIN.Configuration(
                delta: delta, clock: clock, maxBuckets: max_buckets, minWindowLength: min_window_length,
                gracePeriod: grace_period)
        }
    }

    struct PageHinkleyConfig: Decodable {
        var name: String
        var min_instances: Int
        var delta: Double
        var threshold: Double
        var alpha: Double
        var mode: String

        func configuration() throws -> PageHinkley.Configuration {
            try PageHinkley.Configuration(
                minInstances: min_instances, delta: delta, threshold: threshold, alpha: alpha,
                mode: PageHinkley.Mode(name: mode)!)
        }
    }

    struct ADWINDetection: Decodable {
        var index: Int
        var width_before: Int
        var width_after: Int
        var estimation_after: Double
    }

    struct ADWINCheckpoint: Decodable {
        var index: Int
        var width: Int
        var estimation: Double
        var total: Double
        var variance: Double
        var variance_in_window: Double
    }

    struct ADWINRun: Decodable {
        var config: String
        var detections: [ADWINDetection]
        var checkpoints: [ADWINCheckpoint]
    }

    struct PageHinkleyRun: Decodable {
        var config: String
        var detections: [Int]
    }

    struct Stream: Decodable {
        var name: String
        var seed: UInt64
        var segments: [StreamSpec.Segment]
        var length: Int
        var adwin: [ADWINRun]
        var page_hinkley: [PageHinkleyRun]

        var spec: StreamSpec { StreamSpec(name: name, seed: seed, segments: segments) }
    }

    var river: String
    var adwin_configs: [ADWINConfig]
    var page_hinkley_configs: [PageHinkleyConfig]
    var streams: [Stream]

    static let shared: DetectorFixtures = {
        do {
            return try Fixtures.load(DetectorFixtures.self, "drift_detectors.json")
        } catch {
            preconditionFailure("Fixtures/drift_detectors.json: \(error)")
        }
    }()

    static var streamNames: [String] { shared.streams.map(\.name) }

    static func stream(_ name: String) -> Stream {
        shared.streams.first { $0.name == name }!
    }

    func adwinConfiguration(_ name: String) throws -> ADWIN.Configuration {
        try adwin_configs.first { $0.name == name }!.configuration()
    }

    func pageHinkleyConfiguration(_ name: String) throws -> PageHinkley.Configuration {
        try page_hinkley_configs.first { $0.name == name }!.configuration()
    }
}
