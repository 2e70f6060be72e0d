import DriftlineStats
import Testing

// Oracle: River 0.26.1's `river.drift.ADWIN` on the same seeded streams (Fixtures/drift_detectors.json).

@Suite struct ADWINTests {
    @Test(arguments: DetectorFixtures.streamNames)
    func detectionsAreRiversOnEveryConfiguration(stream name: String) throws {
        let stream = DetectorFixtures.stream(name)
        let values = stream.spec.generate()
        #expect(values.count == stream.length)
        for run in stream.adwin {
            var detector = ADWIN(configuration: try DetectorFixtures.shared.adwinConfiguration(run.config))
            var detections: [Int] = []
            var checkpoints = run.checkpoints[...]
            var expectedDetections = run.detections[...]
            for (index, value) in values.enumerated() {
                let widthBefore = detector.driftDetected ? 0 : detector.width
                if detector.update(value) {
                    detections.append(index)
                    let cut = try #require(detector.detection)
                    if let expected = expectedDetections.first, expected.index == index {
                        expectedDetections.removeFirst()
                        #expect(cut.before.width + cut.after.width == widthBefore + 1)
                        #expect(widthBefore + 1 == expected.width_before, "\(name) \(run.config) @\(index)")
                        #expect(cut.after.width == expected.width_after, "\(name) \(run.config) @\(index)")
                        #expect(cut.after.mean == expected.estimation_after, "\(name) \(run.config) @\(index)")
                    }
                }
                if let checkpoint = checkpoints.first, checkpoint.index == index {
                    checkpoints.removeFirst()
                    let context = "\(name) \(run.config) @\(index)"
                    #expect(detector.width == checkpoint.width, "\(context)")
                    #expect(detector.estimation == checkpoint.estimation, "\(context)")
                    #expect(detector.total == checkpoint.total, "\(context)")
                    #expect(detector.sumOfSquaredDeviations == checkpoint.variance, "\(context)")
                    #expect(detector.variance == checkpoint.variance_in_window, "\(context)")
                }
            }
            #expect(detections == run.detections.map(\.index), "\(name) \(run.config)")
            #expect(checkpoints.isEmpty)
        }
    }

    @Test func theUpdateAfterADetectionStartsFromAnEmptyWindow() throws {
        var detector = ADWIN()
        var index = 0
        while !detector.update(index < 1_000 ? 0 : 10) { index += 1 }
        #expect(detector.detection != nil)
        #expect(detector.width > 0)
        detector.update(10)
        #expect(!detector.driftDetected)
        #expect(detector.detection == nil)
        #expect(detector.width == 1)
        #expect(detector.total == 10)
    }

    @Test func nonFiniteValuesLeaveTheDetectorUnchanged() {
        var detector = ADWIN()
        for value in [1.0, 2, 3] { detector.update(value) }
        let before = detector
        let acceptedNaN = detector.update(.nan)
        let acceptedInfinity = detector.update(.infinity)
        #expect(!acceptedNaN && !acceptedInfinity)
        #expect(detector == before)
    }

    @Test func parametersOutsideTheirRangeAreRejectedByName() {
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(delta: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(delta: 1) }
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(clock: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(maxBuckets: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(minWindowLength: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(gracePeriod: -1) }
        let error = #expect(throws: DriftDetectorConfigurationError.self) { try ADWIN.Configuration(maxBuckets: 0) }
        #expect(error?.parameter == "max_buckets")
        #expect(ADWIN.Configuration.default == (try? ADWIN.Configuration()))
    }
}
