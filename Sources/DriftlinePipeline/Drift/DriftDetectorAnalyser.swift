import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// Online drift detection: one `SignalDetectors` (ADWIN, and Page-Hinkley unless off) per
/// partition, stream and signal, fed every event of the partition in offset order. A
/// partition's order is fixed, so a replay sees the same sequence: the detectors' snapshots are
/// stored with the offsets of the records they saw (`dl_analyser_state`), loaded again when a
/// partition is assigned or restarted from its offsets, and a crash and restart give exactly
/// the detections of an uninterrupted run.
public struct DriftDetectorAnalyser: EventAnalyser {
    /// The name of its state in `dl_analyser_state`.
    public static let name = "drift_detectors"

    struct DetectorKey: Hashable {
        var partition: SourcePartition
        var stream: String
        var signal: DriftSignal

        /// The key within the partition in `dl_analyser_state`: signal, a tab, the stream.
        var stateKey: String { "\(signal.rawValue)\t\(stream)" }

        init(partition: SourcePartition, stream: String, signal: DriftSignal) {
            self.partition = partition
            self.stream = stream
            self.signal = signal
        }

        init?(partition: SourcePartition, stateKey: String) {
            guard let tab = stateKey.firstIndex(of: "\t"),
                let signal = DriftSignal(rawValue: String(stateKey[..<tab]))
            else { return nil }
            self.init(partition: partition, stream: String(stateKey[stateKey.index(after: tab)...]), signal: signal)
        }
    }

    public let consumerGroup: String
    public let settings: PipelineConfiguration.DetectorSettings
    private let streamBy: [Dimension]
    private var detectors: [DetectorKey: SignalDetectors] = [:]
    /// Detectors updated since the last flush: their snapshots go with it.
    private var changed: Set<DetectorKey> = []
    private var detections: [DriftDetection] = []

    public init(consumerGroup: String, settings: PipelineConfiguration.DetectorSettings) {
        self.consumerGroup = consumerGroup
        self.settings = settings
        self.streamBy = Dimension.allCases.filter(Set(settings.streamBy).contains)
    }

    public var pendingRows: Int { detections.count + changed.count }

    public var stateName: String? { Self.name }

    public mutating func add(_ enriched: EnrichedEvent, from partition: SourcePartition) {
        let event = enriched.event
        let stream = streamKey(of: event)
        let (adwin, pageHinkley) = (settings.adwin, settings.pageHinkley)
        for signal in settings.signals {
            guard let value = signal.value(of: event), value.isFinite else { continue }
            let key = DetectorKey(partition: partition, stream: stream, signal: signal)
            let found = detectors[key, default: SignalDetectors(adwin: adwin, pageHinkley: pageHinkley)].update(value)
            changed.insert(key)
            for detection in found {
                detections.append(
                    DriftDetection(
                        partition: partition, stream: stream, signal: signal.rawValue,
                        detector: detection.detector.rawValue, updateIndex: detection.index,
                        eventTimeMicroseconds: event.start.microsecondsSinceEpoch,
                        meanBefore: detection.cut?.before.mean ?? detection.mean, meanAfter: detection.cut?.after.mean,
                        widthBefore: detection.cut.map { Int64($0.before.width) },
                        widthAfter: detection.cut.map { Int64($0.after.width) }))
            }
        }
    }

    public mutating func take() -> DriftDetectionRows {
        var states: [AnalyserStateKey: [UInt8]] = [:]
        for key in changed {
            guard let detector = detectors[key] else { continue }
            states[AnalyserStateKey(partition: key.partition, key: key.stateKey)] = detector.snapshot()
        }
        defer {
            detections = []
            changed = []
        }
        return DriftDetectionRows(
            consumerGroup: consumerGroup, analyser: Self.name, detections: detections, states: states)
    }

    public mutating func restore(_ rows: DriftDetectionRows) {
        detections = rows.detections + detections
        // The detectors have moved on since; their current snapshots go with the next flush.
        for key in rows.states.keys {
            if let key = DetectorKey(partition: key.partition, stateKey: key.key) { changed.insert(key) }
        }
    }

    public mutating func discardUnstored() {
        // The detectors saw records whose offsets are not stored: they go too, and are loaded
        // again from the store with the partitions' offsets.
        detectors = [:]
        changed = []
        detections = []
    }

    public mutating func loadState(_ stored: [SourcePartition: [String: [UInt8]]], for partitions: Set<SourcePartition>)
        -> [String]
    {
        for key in detectors.keys where partitions.contains(key.partition) { detectors[key] = nil }
        changed = changed.filter { !partitions.contains($0.partition) }
        detections.removeAll { partitions.contains($0.partition) }
        var problems: [String] = []
        for (partition, states) in stored where partitions.contains(partition) {
            for (stateKey, bytes) in states {
                guard let key = DetectorKey(partition: partition, stateKey: stateKey),
                    settings.signals.contains(key.signal)
                else { continue }
                do {
                    let detector = try SignalDetectors(snapshot: bytes)
                    // Detectors stored with other parameters start again with the configured ones.
                    if detector.adwin.configuration == settings.adwin
                        && detector.pageHinkley?.configuration == settings.pageHinkley
                    {
                        detectors[key] = detector
                    }
                } catch {
                    problems.append("\(partition) \(stateKey.replacingOccurrences(of: "\t", with: " ")): \(error)")
                }
            }
        }
        return problems
    }

    /// The `stream_by` dimensions' values as a canonical JSON object (keys in `Dimension` order).
    private func streamKey(of event: LLMEvent) -> String {
        var text = "{"
        for (index, dimension) in streamBy.enumerated() {
            if index > 0 { text += ", " }
            text +=
                AggregateStore.jsonString(dimension.rawValue) + ": "
                + AggregateStore.jsonString(dimension.value(of: event))
        }
        return text + "}"
    }
}
