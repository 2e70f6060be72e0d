import DriftlineStats
import Foundation
import Testing

@testable import DriftlinePipeline

// Oracle: River 0.26.1's detection indices (Tests/DriftlineStatsTests/Fixtures/drift_detectors.json),
// reached through what `driftline drift detect` does: the series as text, one number per line,
// parsed by NumberLines and run by the detector the command-line options make.

@Suite struct DriftDetectToolTests {
    /// What `driftline drift detect` prints for `text`, as indices.
    static func detect(_ text: String, _ detector: String, _ options: OfflineDetectorOptions) throws -> [Int] {
        let values = try NumberLines.numbers(in: text, source: "series.txt")
        return try options.detector(named: detector).detectionIndices(in: values)
    }

    /// The stream as an export would hold it: shortest round-trip decimals, one per line.
    static func text(_ values: [Double]) -> String {
        values.map { "\($0)" }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: RiverStreams.streamNames)
    func adwinIndicesAreRiversForEveryConfiguration(stream name: String) throws {
        let stream = RiverStreams.stream(name)
        let text = Self.text(stream.values())
        for config in RiverStreams.shared.adwin_configs {
            let options = OfflineDetectorOptions(
                delta: config.delta, clock: config.clock, maxBuckets: config.max_buckets,
                minWindowLength: config.min_window_length, gracePeriod: config.grace_period)
            let expected = try #require(stream.adwin.first { $0.config == config.name }).detections.map(\.index)
            #expect(try Self.detect(text, "adwin", options) == expected, "\(name), \(config.name)")
        }
        let defaults = try #require(stream.adwin.first { $0.config == "default" }).detections.map(\.index)
        #expect(try Self.detect(text, "adwin", OfflineDetectorOptions()) == defaults)
    }

    @Test(arguments: RiverStreams.streamNames)
    func pageHinkleyIndicesAreRiversWithItsDefaults(stream name: String) throws {
        // The command has no --mode; River's other fixture configurations use one direction only.
        let stream = RiverStreams.stream(name)
        let expected = try #require(stream.page_hinkley.first { $0.config == "default" }).detections
        #expect(try Self.detect(Self.text(stream.values()), "page-hinkley", OfflineDetectorOptions()) == expected)
    }

    @Test func optionsOfTheOtherDetectorAreNamedInTheError() {
        let forPageHinkley = #expect(throws: DriftToolError.self) {
            try OfflineDetectorOptions(clock: 1, gracePeriod: 3).detector(named: "page-hinkley")
        }
        #expect(forPageHinkley?.code == .badOption)
        #expect(forPageHinkley?.message == "--clock, --grace-period do not apply to page-hinkley")
        let forADWIN = #expect(throws: DriftToolError.self) {
            try OfflineDetectorOptions(threshold: 10).detector(named: "adwin")
        }
        #expect(forADWIN?.message == "--threshold does not apply to adwin")
    }

    @Test func sharedAndOwnOptionsAreTaken() throws {
        let adwin = try OfflineDetectorOptions(delta: 0.1, clock: 1).detector(named: "adwin")
        #expect(adwin == .adwin(try ADWIN.Configuration(delta: 0.1, clock: 1)))
        let pageHinkley = try OfflineDetectorOptions(delta: 0.01, threshold: 20, minInstances: 5, alpha: 1)
            .detector(named: "page-hinkley")
        #expect(
            pageHinkley
                == .pageHinkley(try PageHinkley.Configuration(minInstances: 5, delta: 0.01, threshold: 20, alpha: 1)))
    }

    @Test func outOfRangeValuesAndUnknownDetectorsNameTheOption() {
        let delta = #expect(throws: DriftToolError.self) {
            try OfflineDetectorOptions(delta: 2).detector(named: "adwin")
        }
        #expect(delta?.message == "--delta: expected a number in (0, 1), got 2.0")
        let buckets = #expect(throws: DriftToolError.self) {
            try OfflineDetectorOptions(maxBuckets: 0).detector(named: "adwin")
        }
        #expect(buckets?.message == "--max-buckets: expected an integer in 1...255, got 0")
        let unknown = #expect(throws: DriftToolError.self) {
            try OfflineDetectorOptions().detector(named: "kswin")
        }
        #expect(unknown?.message == "--detector: expected adwin or page-hinkley, got \"kswin\"")
    }
}
