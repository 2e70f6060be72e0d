import DriftlineCore
import DriftlineStats
public import DriftlineStore
import Foundation

/// Online drift detection: one `SignalDetectors` (ADWIN, and Page-Hinkley unless off) per
/// partition, stream and signal, fed every event of the partition in offset order. A
/// partition's order is fixed, so a replay sees the same sequence: the detectors' snapshots are
/// stored with the offsets of the records they saw (`dl_analyser_state`), loaded again when a
/// partition is assigned or restarted from its offsets, and a crash and restart give exactly
/// the detections of an uninterrupted run.
public struct DriftDetectorAnalyser: EventAnalyser {
    /// The name of its state in `dl_analyser_state`.
    public static let name = "drift_detectors"

    /// A stream on a partition: the `stream_by` values (the first apart, so that the usual
    /// single dimension allocates nothing per event).
    struct StreamKey: Hashable {
        var partition: SourcePartition
        var first: String
        var rest: [String]
    }

    /// One stream's detectors, one per configured signal (nil until the signal has a value).
    struct Stream {
        /// The stream's values as a JSON object, as stored.
        var json: String
        var detectors: [SignalDetectors?]
        /// Updated since the last flush: its snapshots go with the next.
        var changed = false
    }

    public let consumerGroup: String
    public let settings: PipelineConfiguration.DetectorSettings
    private let streamBy: [DriftlineCore.Dimension]
    private var streams: [StreamKey: Stream] = [:]
    private var detections: [DriftDetection] = []

    public init(consumerGroup: String, settings: PipelineConfiguration.DetectorSettings) {
        self.consumerGroup = consumerGroup
        self.settings = settings
        self.streamBy = DriftlineCore.Dimension.allCases.filter(Set(settings.streamBy).contains)
    }

    public var pendingRows: Int { detections.count + streams.values.reduce(0) { $0 + ($1.changed ? 1 : 0) } }

    public var stateName: String? { Self.name }

    public mutating func add(_ enriched: EnrichedEvent, from partition: SourcePartition) {
        let event = enriched.event
        let key = streamKey(of: event, on: partition)
        var stream =
            streams.removeValue(forKey: key)
            ?? Stream(json: json(key), detectors: Array(repeating: nil, count: settings.signals.count))
        for (index, signal) in settings.signals.enumerated() {
            guard let value = signal.value(of: event), value.isFinite else { continue }
            if stream.detectors[index] == nil {
                stream.detectors[index] = settings.makeDetectors()
            }
            stream.changed = true
            for detection in stream.detectors[index]!.update(value) {
                detections.append(
                    DriftDetection(
                        detection, partition: partition, stream: stream.json, signal: signal,
                        eventTimeMicroseconds: event.start.microsecondsSinceEpoch))
            }
        }
        streams[key] = stream
    }

    public mutating func take() -> DriftDetectionRows {
        var states: [AnalyserStateKey: [UInt8]] = [:]
        for (key, stream) in streams where stream.changed {
            for (index, detector) in stream.detectors.enumerated() {
                guard let detector else { continue }
                let name = Self.stateKey(settings.signals[index], stream.json)
                states[AnalyserStateKey(partition: key.partition, key: name)] = detector.snapshot()
            }
            streams[key]?.changed = false
        }
        defer { detections = [] }
        return DriftDetectionRows(
            consumerGroup: consumerGroup, analyser: Self.name, detections: detections, states: states)
    }

    public mutating func restore(_ rows: DriftDetectionRows) {
        detections = rows.detections + detections
        // The detectors have moved on since; their current snapshots go with the next flush.
        let restored = Set(rows.states.keys.map(\.partition))
        for (key, stream) in streams where !stream.changed && restored.contains(key.partition) {
            let names = Set(settings.signals.map { Self.stateKey($0, stream.json) })
            if rows.states.keys.contains(where: { $0.partition == key.partition && names.contains($0.key) }) {
                streams[key]?.changed = true
            }
        }
    }

    public mutating func discardUnstored() {
        // The detectors saw records whose offsets are not stored: they go too, and are loaded
        // again from the store with the partitions' offsets.
        streams = [:]
        detections = []
    }

    public mutating func loadState(_ stored: [SourcePartition: [String: [UInt8]]], for partitions: Set<SourcePartition>)
        -> [String]
    {
        streams = streams.filter { !partitions.contains($0.key.partition) }
        detections.removeAll { partitions.contains($0.partition) }
        var problems: [String] = []
        for (partition, states) in stored where partitions.contains(partition) {
            for (name, bytes) in states {
                guard let tab = name.firstIndex(of: "\t"),
                    let index = settings.signals.firstIndex(where: { $0.rawValue == name[..<tab] }),
                    let key = streamKey(json: String(name[name.index(after: tab)...]), on: partition)
                else { continue }
                do {
                    let detector = try SignalDetectors(snapshot: bytes)
                    // Detectors stored with other parameters start again with the configured ones.
                    guard settings.made(detector) else { continue }
                    var stream =
                        streams.removeValue(forKey: key)
                        ?? Stream(json: json(key), detectors: Array(repeating: nil, count: settings.signals.count))
                    stream.detectors[index] = detector
                    streams[key] = stream
                } catch {
                    problems.append("\(partition) \(name.replacingOccurrences(of: "\t", with: " ")): \(error)")
                }
            }
        }
        return problems
    }

    /// The key within a partition in `dl_analyser_state`: the signal, a tab, the stream's JSON.
    static func stateKey(_ signal: DriftSignal, _ json: String) -> String { "\(signal.rawValue)\t\(json)" }

    private func streamKey(of event: LLMEvent, on partition: SourcePartition) -> StreamKey {
        guard let first = streamBy.first else { return StreamKey(partition: partition, first: "", rest: []) }
        return StreamKey(
            partition: partition, first: first.value(of: event),
            rest: streamBy.count == 1 ? [] : streamBy.dropFirst().map { $0.value(of: event) })
    }

    /// The key of a stream stored as `json` (as `json(_:)` wrote it); nil when it is not one.
    private func streamKey(json: String, on partition: SourcePartition) -> StreamKey? {
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)),
            object.count == streamBy.count
        else { return nil }
        var values: [String] = []
        for dimension in streamBy {
            guard let value = object[dimension.rawValue] else { return nil }
            values.append(value)
        }
        return StreamKey(partition: partition, first: values.first ?? "", rest: Array(values.dropFirst()))
    }

    /// The `stream_by` dimensions' values as a JSON object (keys in `Dimension` order).
    private func json(_ key: StreamKey) -> String {
        Self.streamJSON(streamBy, streamBy.isEmpty ? [] : [key.first] + key.rest)
    }

    /// A stream's key as stored: `dimensions` with their `values` as a JSON object.
    static func streamJSON(_ dimensions: [DriftlineCore.Dimension], _ values: [String]) -> String {
        let pairs = zip(dimensions, values).map {
            AggregateStore.jsonString($0.0.rawValue) + ": " + AggregateStore.jsonString($0.1)
        }
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}
