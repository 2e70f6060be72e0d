import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// The sampling policy of the quality plane: decides for each event whether its response is
/// scored for faithfulness, counts per window the eligible and ineligible events, the sampled
/// ones per stratum with the stratum's rate, and those shed, and hands the sampled ones to the
/// ``ScoringQueue`` without ever waiting.
///
/// An event is eligible when it has response text and a grounding source: retrieved context, or
/// its prompt with `quality.ground_on_prompt: true`. An eligible event belongs to the first
/// stratum that applies — negative feedback, a response whose mean token log-probability is below
/// `low_logprob_below`, a boosted finish reason, one of the first
/// `new_version_events` events of its model version on its partition, else base — and is sampled
/// when ``StableSampleHash`` puts its id below the stratum's rate, so every consumer and every
/// replay samples the same events. Each stratum's events are sampled with a known probability,
/// which makes 1/rate the unbiased (Horvitz–Thompson) weight of its samples.
public struct QualitySampler: EventAnalyser {
    /// Its name in `dl_analyser_state` (the events seen per model version, per partition).
    public static let name = "quality_sampler"

    public let consumerGroup: String
    public let settings: PipelineConfiguration.QualitySettings
    public let grouping: WindowGrouping
    public let queue: ScoringQueue
    private let negativeLabels: Set<String>
    private let finishReasons: Set<String>
    public private(set) var counts: [QualityCountKey: QualityCount] = [:]
    /// Events seen of each model version (`model \t version`), per partition, up to
    /// `new_version_events`; `changed` marks what the next flush stores.
    private var versions: [SourcePartition: [String: VersionCount]] = [:]

    private struct VersionCount {
        var seen: Int64
        var changed: Bool
    }

    /// Versions tracked per partition at most; beyond it, new versions get no boost.
    static let maxVersionsPerPartition = 10_000

    public init(
        consumerGroup: String, settings: PipelineConfiguration.QualitySettings, grouping: WindowGrouping,
        queue: ScoringQueue
    ) {
        self.consumerGroup = consumerGroup
        self.settings = settings
        self.grouping = grouping
        self.queue = queue
        self.negativeLabels = Set(settings.negativeLabels.map { $0.lowercased() })
        self.finishReasons = Set(settings.finishReasons)
    }

    public var needs: AnalyserNeeds { .text }
    public var stateName: String? { Self.name }

    public var pendingRows: Int {
        counts.count + versions.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + ($1.changed ? 1 : 0) } }
    }

    // MARK: Deciding

    /// The grounding passages of an event, or nil when it is not eligible.
    func grounding(of event: LLMEvent) -> [String]? {
        guard let response = event.response, !response.isEmpty else { return nil }
        if let context = event.context, context.contains(where: { !$0.isEmpty }) {
            return context.filter { !$0.isEmpty }
        }
        if settings.groundOnPrompt, let prompt = event.prompt, !prompt.isEmpty { return [prompt] }
        return nil
    }

    func isNegative(_ feedback: Feedback?) -> Bool {
        guard let feedback else { return false }
        if let score = feedback.score, score < settings.negativeFeedbackBelow { return true }
        if let label = feedback.label, negativeLabels.contains(label.lowercased()) { return true }
        return false
    }

    /// The event's stratum; counts the event against its model version on `partition`.
    mutating func stratum(of event: LLMEvent, on partition: SourcePartition) -> QualityStratum {
        let isNewVersion = countVersion(of: event, on: partition)
        if isNegative(event.feedback) { return .feedback }
        if let mean = event.logprobMean, mean < settings.lowLogprobBelow { return .lowLogprob }
        if let reason = event.finishReason, finishReasons.contains(reason) { return .finishReason }
        if isNewVersion { return .newVersion }
        return .base
    }

    /// Whether the event is one of the first `new_version_events` of its model version here.
    private mutating func countVersion(of event: LLMEvent, on partition: SourcePartition) -> Bool {
        let limit = Int64(settings.newVersionEvents)
        guard limit > 0, !event.dimensions.modelVersion.isEmpty else { return false }
        let key = event.model + "\t" + event.dimensions.modelVersion
        if let count = versions[partition]?[key] {
            guard count.seen < limit else { return false }
            versions[partition]![key] = VersionCount(seen: count.seen + 1, changed: true)
            return true
        }
        guard versions[partition, default: [:]].count < Self.maxVersionsPerPartition else { return false }
        versions[partition, default: [:]][key] = VersionCount(seen: 1, changed: true)
        return true
    }

    /// The id the sample is keyed and hashed by.
    static func sampleID(_ enriched: EnrichedEvent, from partition: SourcePartition) -> String? {
        if let id = enriched.event.requestID, !id.isEmpty { return id }
        guard let offset = enriched.offset else { return nil }
        return "kafka:\(partition.topic)/\(partition.partition)/\(offset)#\(enriched.indexInRecord)"
    }

    // MARK: EventAnalyser

    public mutating func add(_ enriched: EnrichedEvent, from partition: SourcePartition) {
        let event = enriched.event
        let window = grouping.key(for: event)
        guard let context = grounding(of: event), let response = event.response,
            let id = Self.sampleID(enriched, from: partition)
        else {
            counts[QualityCountKey(window: window, stratum: "ineligible", rate: 0), default: QualityCount()].events += 1
            return
        }
        let stratum = stratum(of: event, on: partition)
        let rate = settings.rates(app: event.dimensions.app, model: event.model).rate(of: stratum)
        let key = QualityCountKey(window: window, stratum: stratum.rawValue, rate: rate)
        var count = counts[key, default: QualityCount()]
        count.events += 1
        if StableSampleHash.isSampled(id, rate: rate) {
            count.sampled += 1
            let bytes = context.reduce(response.utf8.count) { $0 + $1.utf8.count }
            let shed: ShedReason? =
                bytes > settings.maxTextBytes
                ? .tooLong
                : queue.offer(
                    ScoringRequest(
                        id: id, traceID: event.traceID, eventTimeMicroseconds: event.start.microsecondsSinceEpoch,
                        window: Self.fullKey(of: event, window: window), stratum: stratum, rate: rate,
                        response: response, context: context))
            switch shed {
            case nil: break
            case .queueFull: count.shedQueueFull += 1
            case .noScorer: count.shedNoScorer += 1
            case .tooLong:
                count.shedTooLong += 1
                queue.countShed()
            }
        }
        counts[key] = count
    }

    /// The window key with every dimension's value, for the sample's row.
    static func fullKey(of event: LLMEvent, window: WindowKey) -> WindowKey {
        var key = window
        for dimension in Dimension.allCases { key[dimension] = dimension.value(of: event) }
        return key
    }

    public mutating func take() -> QualityCountRows {
        var states: [AnalyserStateKey: [UInt8]] = [:]
        for (partition, seen) in versions {
            for (key, count) in seen where count.changed {
                states[AnalyserStateKey(partition: partition, key: key)] = Self.bytes(count.seen)
                versions[partition]![key]!.changed = false
            }
        }
        defer { counts = [:] }
        return QualityCountRows(consumerGroup: consumerGroup, analyser: Self.name, counts: counts, states: states)
    }

    public mutating func restore(_ rows: QualityCountRows) {
        for (key, count) in rows.counts { counts[key, default: QualityCount()].add(count) }
        // The counts have moved on since; their current values go with the next flush.
        for key in rows.states.keys { versions[key.partition]?[key.key]?.changed = true }
    }

    public mutating func discardUnstored() {
        counts = [:]
        versions = [:]
    }

    public mutating func loadState(_ stored: [SourcePartition: [String: [UInt8]]], for partitions: Set<SourcePartition>)
        -> [String]
    {
        for partition in partitions { versions[partition] = nil }
        var problems: [String] = []
        for (partition, states) in stored where partitions.contains(partition) {
            for (key, bytes) in states {
                guard let seen = Self.count(bytes), key.contains("\t") else {
                    problems.append("\(partition) \(key.replacingOccurrences(of: "\t", with: " ")): not a count")
                    continue
                }
                versions[partition, default: [:]][key] = VersionCount(seen: seen, changed: false)
            }
        }
        return problems
    }

    static func bytes(_ value: Int64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func count(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 8 else { return nil }
        let value = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: value)
    }
}
