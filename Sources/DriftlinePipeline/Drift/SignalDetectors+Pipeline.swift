import DriftlineStats
import DriftlineStore

/// What the ingest detectors (`DriftDetectorAnalyser`) and the score detectors
/// (`QualityScoreDetectors`) share: the stored row of a detection, and which stored detectors
/// the configuration still accepts.
extension DriftDetection {
    /// The row of `found`, made on `signal`'s stream `stream` of `partition` by the update of an
    /// event (or sample) of that time: ADWIN's means and widths on either side of its cut, or
    /// Page-Hinkley's mean.
    init(
        _ found: SignalDetectors.Detection, partition: SourcePartition, stream: String, signal: DriftSignal,
        eventTimeMicroseconds: Int64
    ) {
        self.init(
            partition: partition, stream: stream, signal: signal.rawValue, detector: found.detector.rawValue,
            updateIndex: found.index, eventTimeMicroseconds: eventTimeMicroseconds,
            meanBefore: found.cut?.before.mean ?? found.mean, meanAfter: found.cut?.after.mean,
            widthBefore: found.cut.map { Int64($0.before.width) }, widthAfter: found.cut.map { Int64($0.after.width) })
    }
}

extension PipelineConfiguration.DetectorSettings {
    /// New detectors with these parameters.
    func makeDetectors() -> SignalDetectors { SignalDetectors(adwin: adwin, pageHinkley: pageHinkley) }

    /// Whether stored detectors were made with these parameters; others start again afresh.
    func made(_ detectors: SignalDetectors) -> Bool {
        detectors.adwin.configuration == adwin && detectors.pageHinkley?.configuration == pageHinkley
    }
}
