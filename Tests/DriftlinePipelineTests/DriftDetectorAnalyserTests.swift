import DriftlineCore
import DriftlineStats
import DriftlineStore
import Testing

@testable import DriftlinePipeline

/// The online drift detectors as an analyser, without Kafka or PostgreSQL: each partition's
/// streams are detected as a direct run of `SignalDetectors` would, and the state handed over
/// with a flush is all a restart needs to make the same detections from there on.
@Suite struct DriftDetectorAnalyserTests {
    static let partitions = [SourcePartition(topic: "t", partition: 0), SourcePartition(topic: "t", partition: 1)]

    /// Events of two models on two partitions; TTFT of `a` on partition 0 jumps from ~100 ms to
    /// ~400 ms half-way, and `b` fails more often after that.
    static func events() -> [(SourcePartition, LLMEvent)] {
        var random = SplitMix64(seed: 17)
        var events: [(SourcePartition, LLMEvent)] = []
        for index in 0..<4_000 {
            let partition = partitions[index % 2]
            let model = index % 3 == 0 ? "b" : "a"
            let shifted = index >= 2_000
            let ttft = (shifted && model == "a" && partition.partition == 0 ? 400 : 100) + 10 * random.normal()
            let start = Int64(index) * 100_000
            var event = LLMEvent(
                start: EventTime(microsecondsSinceEpoch: start),
                end: EventTime(microsecondsSinceEpoch: start + 2_000_000), model: model)
            event.firstToken = EventTime(microsecondsSinceEpoch: start + Int64(max(ttft, 1) * 1000))
            event.tokens.output = 100 + Int64(random.uniform() * 20)
            if model == "b" && random.uniform() < (shifted ? 0.5 : 0.05) { event.status = .error }
            events.append((partition, event))
        }
        return events
    }

    /// What a direct run finds, by (partition, stream, signal, detector, index).
    static func direct(
        _ events: some Sequence<(SourcePartition, LLMEvent)>, settings: PipelineConfiguration.DetectorSettings
    )
        -> Set<String>
    {
        var detectors: [String: SignalDetectors] = [:]
        var found: Set<String> = []
        for (partition, event) in events {
            for signal in settings.signals {
                guard let value = signal.value(of: event) else { continue }
                let key = "\(partition) {\"model\": \"\(event.model)\"} \(signal.rawValue)"
                let detections = detectors[
                    key, default: SignalDetectors(adwin: settings.adwin, pageHinkley: settings.pageHinkley)
                ].update(value)
                for detection in detections { found.insert("\(key) \(detection.detector.rawValue) \(detection.index)") }
            }
        }
        return found
    }

    static func names(_ detections: [DriftDetection]) -> Set<String> {
        Set(
            detections.map {
                "\($0.partition) \($0.stream) \($0.signal) \($0.detector) \($0.updateIndex)"
            })
    }

    @Test func detectsPerPartitionStreamAndSignalAsADirectRun() {
        let settings = PipelineConfiguration.DetectorSettings()
        var analyser = DriftDetectorAnalyser(consumerGroup: "g", settings: settings)
        let events = Self.events()
        for (partition, event) in events { analyser.add(EnrichedEvent(event), from: partition) }
        let rows = analyser.take()
        let expected = Self.direct(events, settings: settings)
        #expect(Self.names(rows.detections) == expected)
        #expect(expected.contains { $0.hasPrefix("t[0] {\"model\": \"a\"} ttft adwin") }, "the TTFT shift is found")
        // One state per partition, stream and signal that saw values (TTFT, TPOT, error, output tokens).
        #expect(rows.states.count == 2 * 2 * 4)
        let cut = rows.detections.first { $0.detector == "adwin" && $0.signal == "ttft" }
        #expect(cut != nil)
        if let cut {
            #expect(cut.meanBefore != nil && cut.meanAfter != nil && (cut.widthBefore ?? 0) > 0)
        }
    }

    /// A crash after a flush: a new analyser loaded with that flush's states and fed the records
    /// after its offsets makes exactly the detections the uninterrupted one made after them.
    @Test func aRestartFromTheStoredStateDetectsAsAnUninterruptedRun() {
        let settings = PipelineConfiguration.DetectorSettings()
        let events = Self.events()
        var stored: [SourcePartition: [String: [UInt8]]] = [:]
        func store(_ rows: DriftDetectionRows) {
            for (key, bytes) in rows.states { stored[key.partition, default: [:]][key.key] = bytes }
        }
        for flushAt in [1, 999, 2_001, 3_500] {
            stored = [:]
            var uninterrupted = DriftDetectorAnalyser(consumerGroup: "g", settings: settings)
            for (partition, event) in events[..<flushAt] { uninterrupted.add(EnrichedEvent(event), from: partition) }
            store(uninterrupted.take())
            for (partition, event) in events[flushAt...] { uninterrupted.add(EnrichedEvent(event), from: partition) }
            let after = uninterrupted.take().detections

            var restarted = DriftDetectorAnalyser(consumerGroup: "g", settings: settings)
            let problems = restarted.loadState(stored, for: Set(Self.partitions))
            #expect(problems.isEmpty)
            for (partition, event) in events[flushAt...] { restarted.add(EnrichedEvent(event), from: partition) }
            #expect(Self.names(restarted.take().detections) == Self.names(after), "flush after \(flushAt) events")
        }
    }

    @Test func aFailedFlushIsRestoredAndItsStatesGoWithTheNext() {
        var analyser = DriftDetectorAnalyser(consumerGroup: "g", settings: PipelineConfiguration.DetectorSettings())
        let events = Self.events()
        for (partition, event) in events { analyser.add(EnrichedEvent(event), from: partition) }
        let failed = analyser.take()
        #expect(analyser.pendingRows == 0)
        analyser.restore(failed)
        let retried = analyser.take()
        #expect(retried.detections == failed.detections)
        #expect(retried.states == failed.states)
    }

    @Test func discardingForgetsTheDetectorsUntilTheyAreLoadedAgain() {
        var analyser = DriftDetectorAnalyser(consumerGroup: "g", settings: PipelineConfiguration.DetectorSettings())
        let events = Self.events()
        for (partition, event) in events[..<100] { analyser.add(EnrichedEvent(event), from: partition) }
        analyser.discardUnstored()
        #expect(analyser.pendingRows == 0)
        #expect(analyser.take().count == 0)
    }

    @Test func unreadableOrDifferentlyConfiguredStateStartsAfresh() {
        let settings = PipelineConfiguration.DetectorSettings()
        var other = settings
        other.adwin = try! ADWIN.Configuration(delta: 0.1)
        let partition = Self.partitions[0]
        var first = DriftDetectorAnalyser(consumerGroup: "g", settings: other)
        for (source, event) in Self.events() where source == partition { first.add(EnrichedEvent(event), from: source) }
        var stored: [String: [UInt8]] = [:]
        for (key, bytes) in first.take().states { stored[key.key] = bytes }
        stored["ttft\t{\"model\": \"zzz\"}"] = [1, 2, 3]

        var analyser = DriftDetectorAnalyser(consumerGroup: "g", settings: settings)
        let problems = analyser.loadState([partition: stored], for: [partition])
        #expect(problems.count == 1)
        #expect(problems.first?.contains("zzz") == true)
        // The states of other parameters were not taken: the detectors start again.
        var fresh = DriftDetectorAnalyser(consumerGroup: "g", settings: settings)
        let tail = Self.events().filter { $0.0 == partition }.suffix(500)
        for (source, event) in tail {
            analyser.add(EnrichedEvent(event), from: source)
            fresh.add(EnrichedEvent(event), from: source)
        }
        #expect(Self.names(analyser.take().detections) == Self.names(fresh.take().detections))
    }
}
