import DriftlineStats
import Testing

// Oracle: the uninterrupted run. A run that is snapshotted, restored from the bytes and continued
// at random points (and right at every detection) must give the same detections and end state.

@Suite struct DetectorSnapshotTests {
    static let streams = [
        "several-shifts", "gradual-drift", "error-rate-jump", "latency-pareto-shift", "variance-change",
    ]

    /// The indices after which a run is interrupted: about one in `spacing` at random, plus every
    /// index where the uninterrupted run detected (the snapshot then carries the pending reset).
    static func cutPoints(count: Int, detections: [Int], seed: UInt64, spacing: Int = 700) -> Set<Int> {
        var rng = SplitMix64(seed: seed)
        var cuts = Set(detections)
        for index in 0..<count where rng.next() % UInt64(spacing) == 0 { cuts.insert(index) }
        return cuts
    }

    @Test(arguments: streams)
    func adwinRestoredAtRandomPointsDetectsAsAnUninterruptedRun(stream name: String) throws {
        let values = DetectorFixtures.stream(name).spec.generate()
        for config in ["default", "clock-1", "small-buckets"] {
            let configuration = try DetectorFixtures.shared.adwinConfiguration(config)
            var uninterrupted = ADWIN(configuration: configuration)
            var expected: [Int] = []
            for (index, value) in values.enumerated() where uninterrupted.update(value) { expected.append(index) }

            let cuts = Self.cutPoints(count: values.count, detections: expected, seed: UInt64(values.count))
            var detector = ADWIN(configuration: configuration)
            var detections: [Int] = []
            for (index, value) in values.enumerated() {
                if detector.update(value) { detections.append(index) }
                if cuts.contains(index) {
                    let bytes = detector.snapshot()
                    let restored = try ADWIN(snapshot: bytes)
                    #expect(restored == detector, "\(name) \(config) @\(index)")
                    #expect(restored.snapshot() == bytes)
                    detector = restored
                }
            }
            #expect(detections == expected, "\(name) \(config)")
            #expect(!expected.isEmpty)
            #expect(detector == uninterrupted)
            #expect(detector.snapshot() == uninterrupted.snapshot())
        }
    }

    @Test(arguments: streams)
    func pageHinkleyRestoredAtRandomPointsDetectsAsAnUninterruptedRun(stream name: String) throws {
        let values = DetectorFixtures.stream(name).spec.generate()
        for config in DetectorFixtures.shared.page_hinkley_configs.map(\.name) {
            let configuration = try DetectorFixtures.shared.pageHinkleyConfiguration(config)
            var uninterrupted = PageHinkley(configuration: configuration)
            var expected: [Int] = []
            for (index, value) in values.enumerated() where uninterrupted.update(value) { expected.append(index) }

            let cuts = Self.cutPoints(count: values.count, detections: expected, seed: ~UInt64(values.count))
            var detector = PageHinkley(configuration: configuration)
            var detections: [Int] = []
            for (index, value) in values.enumerated() {
                if detector.update(value) { detections.append(index) }
                if cuts.contains(index) {
                    let bytes = detector.snapshot()
                    let restored = try PageHinkley(snapshot: bytes)
                    #expect(restored == detector, "\(name) \(config) @\(index)")
                    detector = restored
                }
            }
            #expect(detections == expected, "\(name) \(config)")
            #expect(detector == uninterrupted)
        }
    }

    @Test func aFreshDetectorRoundTrips() throws {
        #expect(try ADWIN(snapshot: ADWIN().snapshot()) == ADWIN())
        #expect(try PageHinkley(snapshot: PageHinkley().snapshot()) == PageHinkley())
    }

    @Test func snapshotsThatCannotBeRestoredSayWhy() throws {
        var adwin = ADWIN()
        for value in DetectorFixtures.stream("abrupt-mean-shift").spec.generate().prefix(2_000) {
            adwin.update(value)
        }
        let bytes = adwin.snapshot()
        func code(_ body: () throws -> Void) -> DetectorSnapshotError.Code? {
            do {
                try body()
                return nil
            } catch let error as DetectorSnapshotError {
                return error.code
            } catch {
                return nil
            }
        }
        #expect(code { _ = try ADWIN(snapshot: bytes.dropLast()) } == .truncated)
        #expect(code { _ = try ADWIN(snapshot: bytes + [0]) } == .trailingBytes)
        #expect(code { _ = try ADWIN(snapshot: [UInt8]()) } == .wrongDetector)
        #expect(code { _ = try PageHinkley(snapshot: bytes) } == .wrongDetector)
        #expect(code { _ = try ADWIN(snapshot: PageHinkley().snapshot()) } == .wrongDetector)
        var newer = bytes
        newer[4] = 2
        #expect(code { _ = try ADWIN(snapshot: newer) } == .unsupportedVersion)
        // delta (bytes 5..<13) set to 2.0, outside (0, 1)
        var badDelta = bytes
        badDelta.replaceSubrange(5..<13, with: [0, 0, 0, 0, 0, 0, 0, 0x40])
        #expect(code { _ = try ADWIN(snapshot: badDelta) } == .invalidState)
        // the window count (bytes 45..<53) no longer matches the buckets
        var badCount = bytes
        badCount[45] ^= 0x01
        #expect(code { _ = try ADWIN(snapshot: badCount) } == .invalidState)
    }
}

/// `SignalDetectors`: one snapshot for ADWIN, Page-Hinkley and the update count together.
@Suite struct SignalDetectorsSnapshotTests {
    @Test func aRestoredPairContinuesExactlyAsTheOriginal() throws {
        var random = SplitMix64(seed: 5)
        let values = (0..<6_000).map { ($0 < 3_000 ? 0 : 1.5) + random.normal() }
        for cutAt in [0, 1, 31, 2_999, 3_000, 4_321] {
            var original = SignalDetectors()
            for value in values[..<cutAt] { _ = original.update(value) }
            var restored = try SignalDetectors(snapshot: original.snapshot())
            #expect(restored == original)
            for value in values[cutAt...] { #expect(restored.update(value) == original.update(value)) }
        }
    }

    @Test func pageHinkleyOffIsKeptOff() throws {
        var detectors = SignalDetectors(pageHinkley: nil)
        _ = detectors.update(1)
        let restored = try SignalDetectors(snapshot: detectors.snapshot())
        #expect(restored.pageHinkley == nil)
        #expect(restored.updates == 1)
    }

    @Test func detectionIndicesAreThoseOfTheDetectorsAlone() {
        var random = SplitMix64(seed: 9)
        let values = (0..<4_000).map { ($0 < 2_000 ? 0 : 2) + random.normal() }
        var pair = SignalDetectors()
        var adwin = ADWIN()
        var pageHinkley = PageHinkley()
        var expected: [SignalDetectors.Detection.Detector: [Int64]] = [:]
        var found: [SignalDetectors.Detection.Detector: [Int64]] = [:]
        for (index, value) in values.enumerated() {
            if adwin.update(value) { expected[.adwin, default: []].append(Int64(index)) }
            if pageHinkley.update(value) { expected[.pageHinkley, default: []].append(Int64(index)) }
            for detection in pair.update(value) { found[detection.detector, default: []].append(detection.index) }
        }
        #expect(found == expected)
        #expect(!(expected[.adwin] ?? []).isEmpty)
    }

    @Test func truncatedOrForeignBytesAreRefused() {
        let bytes = SignalDetectors().snapshot()
        #expect(throws: DetectorSnapshotError.self) { try SignalDetectors(snapshot: bytes.dropLast()) }
        #expect(throws: DetectorSnapshotError.self) { try SignalDetectors(snapshot: ADWIN().snapshot()) }
        #expect(throws: DetectorSnapshotError.self) { try SignalDetectors(snapshot: bytes + [0]) }
    }
}
