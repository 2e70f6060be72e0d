import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// ADWIN (and Page-Hinkley unless off) over the faithfulness scores, one pair per stream (the
/// detectors' `stream_by` values), when `drift.detectors.signals` lists `faithfulness` and
/// `quality:` is on.
///
/// Scores are not events of a partition: they arrive from the scoring service, in the order
/// its results are stored. So the stream is the stored samples' order: the store hands each
/// newly stored sample to these detectors once, in the transaction that stores it, and keeps
/// the detectors' snapshots there too (`dl_analyser_state`, under `dl_quality_samples`/0). A
/// replayed sample, already stored, is not fed again, and a crash loses no update and repeats
/// none. Several instances take turns on a lock. Error verdicts have no score and are skipped.
public struct QualityScoreDetectors: QualitySampleObserver {
    public static let name = "quality_score_detectors"
    /// Where the detections and the state are filed (`dl_drift_detections.topic`/`partition`).
    public static let source = SourcePartition(topic: "dl_quality_samples", partition: 0)

    public let consumerGroup: String
    public let settings: PipelineConfiguration.DetectorSettings
    private let streamBy: [DriftlineCore.Dimension]

    public init(consumerGroup: String, settings: PipelineConfiguration.DetectorSettings) {
        self.consumerGroup = consumerGroup
        self.settings = settings
        self.streamBy = DriftlineCore.Dimension.allCases.filter(Set(settings.streamBy).contains)
    }

    public var analyser: String { Self.name }
    public var source: SourcePartition { Self.source }

    public func stateKeys(for samples: [QualitySampleRecord]) -> Set<String> {
        Set(samples.filter { Self.score(of: $0) != nil }.map { stateKey(stream($0)) })
    }

    public func follow(_ samples: [QualitySampleRecord], from states: [String: [UInt8]]) -> DriftDetectionRows {
        var detectors: [String: SignalDetectors] = [:]
        var detections: [DriftDetection] = []
        for sample in samples {
            guard let score = Self.score(of: sample) else { continue }
            let stream = stream(sample)
            let key = stateKey(stream)
            var detector = detectors[key] ?? restored(states[key])
            for detection in detector.update(score) {
                detections.append(
                    DriftDetection(
                        detection, partition: Self.source, stream: stream, signal: .faithfulness,
                        eventTimeMicroseconds: sample.eventTimeMicroseconds))
            }
            detectors[key] = detector
        }
        var snapshots: [AnalyserStateKey: [UInt8]] = [:]
        for (key, detector) in detectors {
            snapshots[AnalyserStateKey(partition: Self.source, key: key)] = detector.snapshot()
        }
        return DriftDetectionRows(
            consumerGroup: consumerGroup, analyser: Self.name, detections: detections, states: snapshots)
    }

    /// The stored detectors, or new ones when there are none, they cannot be read, or they were
    /// made with other parameters (as the ingest detectors start again after a change).
    private func restored(_ bytes: [UInt8]?) -> SignalDetectors {
        if let bytes, let detector = try? SignalDetectors(snapshot: bytes), settings.made(detector) {
            return detector
        }
        return settings.makeDetectors()
    }

    private func stream(_ sample: QualitySampleRecord) -> String {
        DriftDetectorAnalyser.streamJSON(streamBy, streamBy.map { sample.window[$0] })
    }

    private func stateKey(_ stream: String) -> String { DriftDetectorAnalyser.stateKey(.faithfulness, stream) }

    static func score(of sample: QualitySampleRecord) -> Double? {
        guard sample.verdict != .error, let score = sample.score, score.isFinite else { return nil }
        return score
    }
}
