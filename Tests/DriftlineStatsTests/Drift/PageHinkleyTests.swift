import DriftlineStats
import Testing

// Oracle: River 0.26.1's `river.drift.PageHinkley` on the same seeded streams (Fixtures/drift_detectors.json).

@Suite struct PageHinkleyTests {
    @Test(arguments: DetectorFixtures.streamNames)
    func detectionsAreRiversOnEveryConfiguration(stream name: String) throws {
        let stream = DetectorFixtures.stream(name)
        let values = stream.spec.generate()
        for run in stream.page_hinkley {
            var detector = PageHinkley(configuration: try DetectorFixtures.shared.pageHinkleyConfiguration(run.config))
            var detections: [Int] = []
            for (index, value) in values.enumerated() where detector.update(value) {
                detections.append(index)
            }
            #expect(detections == run.detections, "\(name) \(run.config)")
        }
    }

    @Test func theUpdateAfterADetectionStartsAgain() {
        var detector = PageHinkley()
        var index = 0
        while !detector.update(index < 500 ? 0 : 100) { index += 1 }
        #expect(detector.count == index + 1)
        detector.update(100)
        #expect(!detector.driftDetected)
        #expect(detector.count == 1)
        #expect(detector.mean == 100)
    }

    @Test func parametersOutsideTheirRangeAreRejectedByName() {
        #expect(throws: DriftDetectorConfigurationError.self) { try PageHinkley.Configuration(minInstances: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try PageHinkley.Configuration(delta: -1) }
        #expect(throws: DriftDetectorConfigurationError.self) { try PageHinkley.Configuration(threshold: 0) }
        #expect(throws: DriftDetectorConfigurationError.self) { try PageHinkley.Configuration(alpha: 1.5) }
        #expect(PageHinkley.Mode(name: "both") == .both)
        #expect(PageHinkley.Mode(name: "sideways") == nil)
        #expect(PageHinkley.Configuration.default == (try? PageHinkley.Configuration()))
    }
}
