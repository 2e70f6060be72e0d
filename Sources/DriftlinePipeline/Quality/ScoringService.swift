import DriftlineAlerts
public import DriftlineModel
public import DriftlineStore
public import Logging
import Synchronization

/// Makes the faithfulness scorer; called once, on the scoring service's task, so a model that
/// takes seconds to load never delays ingest.
public typealias FaithfulnessScorerFactory = @Sendable () throws -> any FaithfulnessScoring

/// Scores the samples of a ``ScoringQueue`` on tasks of its own and stores each result in
/// `dl_quality_samples`, keyed by request id (`ON CONFLICT DO NOTHING`: a sample scored again
/// after a replay is stored once). Scored and flagged counts are read from that table, never
/// kept here, so they are exact whatever crashed.
///
/// A scorer that fails to load is reported in one line and the queue closed: samples are then
/// shed as `no_scorer` and counted, and ingest goes on. A sample the scorer fails on is stored
/// with the verdict `error` (the failure in `detail`). A store that does not answer within the
/// deadline is retried with back-off; a result that still cannot be stored is counted in
/// ``ScoringStatistics/unstored`` and logged.
public final class ScoringService: Sendable {
    public let queue: ScoringQueue
    public let workers: Int
    private let makeScorer: FaithfulnessScorerFactory
    private let store: AggregateStore
    private let logger: Logger
    private let counters = Mutex(ScoringStatistics())
    /// Attempts to store one result, and the deadline of each.
    public let storeAttempts: Int
    public let storeDeadline: Duration
    /// Follows the stored scores (the faithfulness detectors), or nil.
    public let observer: (any QualitySampleObserver)?

    public init(
        queue: ScoringQueue, workers: Int, makeScorer: @escaping FaithfulnessScorerFactory, store: AggregateStore,
        logger: Logger, observer: (any QualitySampleObserver)? = nil, storeAttempts: Int = 5,
        storeDeadline: Duration = .seconds(10)
    ) {
        self.observer = observer
        self.storeAttempts = max(1, storeAttempts)
        self.storeDeadline = storeDeadline
        self.queue = queue
        self.workers = max(1, workers)
        self.makeScorer = makeScorer
        self.store = store
        self.logger = logger
    }

    /// Results since start; safe to read from any thread.
    public var statistics: ScoringStatistics { counters.withLock { $0 } }

    /// Scores until cancelled (the queue is then closed; what waited is abandoned and counted).
    public func run() async {
        await withTaskCancellationHandler {
            let scorer: any FaithfulnessScoring
            do {
                scorer = try makeScorer()
            } catch {
                logger.error(
                    "faithfulness scorer unavailable; sampled responses are shed as no_scorer",
                    metadata: ["cause": "\(error)"])
                queue.close()
                return
            }
            let blasThreads = BLASThreads.useOneUnlessConfigured()
            logger.info(
                "faithfulness scoring",
                metadata: [
                    "scorer": "\(scorer.name) \(scorer.version)", "workers": "\(workers)",
                    "openblas_threads": "\(blasThreads)",
                ])
            await withDiscardingTaskGroup { group in
                for _ in 0..<workers {
                    group.addTask { await self.work(scorer) }
                }
            }
        } onCancel: {
            queue.close()
        }
    }

    private func work(_ scorer: any FaithfulnessScoring) async {
        while let request = await queue.next() {
            let record = Self.score(request, with: scorer)
            await save(record)
        }
    }

    /// Scores one request; a failure of the scorer becomes an `error` record.
    static func score(_ request: ScoringRequest, with scorer: any FaithfulnessScoring) -> QualitySampleRecord {
        let started = ContinuousClock.now
        var verdict = QualitySampleRecord.Verdict.error
        var score: Double?
        var threshold: Double?
        var detail: String
        do {
            let result = try scorer.score(response: request.response, context: request.context)
            if result.score.isFinite, result.threshold.isFinite {
                verdict = result.isFaithful ? .faithful : .unfaithful
                score = min(1, max(0, result.score))
                threshold = result.threshold
                detail = Self.detailJSON(result)
            } else {
                detail = "{\"error\":\"the scorer returned a score that is not a finite number\"}"
            }
        } catch {
            detail = "{\"error\":\(AggregateStore.jsonString("\(error)"))}"
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds =
            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return QualitySampleRecord(
            requestID: request.id, traceID: request.traceID, eventTimeMicroseconds: request.eventTimeMicroseconds,
            window: request.window, stratum: request.stratum.rawValue, rate: request.rate, verdict: verdict,
            score: score, threshold: threshold, scorerName: scorer.name, scorerVersion: scorer.version,
            detailJSON: detail, latencyMilliseconds: milliseconds)
    }

    static func detailJSON(_ score: FaithfulnessScore) -> String {
        var fields: [String] = []
        if let sentence = score.weakestSentence {
            fields.append("\"weakest_sentence\":\(AggregateStore.jsonString(sentence))")
        }
        if let value = score.weakestSentenceScore, value.isFinite {
            fields.append("\"weakest_sentence_score\":\(value)")
        }
        if let match = score.bestContextMatch {
            fields.append("\"best_context_match\":\(AggregateStore.jsonString(match))")
        }
        let terms = score.unsupportedTerms.map(AggregateStore.jsonString).joined(separator: ",")
        fields.append("\"unsupported_terms\":[\(terms)]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    private func save(_ record: QualitySampleRecord) async {
        var delay = Duration.milliseconds(250)
        for attempt in 1...max(1, storeAttempts) {
            do {
                let inserted = try await Deadline.run(storeDeadline) { [store, observer] in
                    try await store.insertQualitySamples([record], observer: observer)
                }
                counters.withLock {
                    if inserted == 0 {
                        $0.alreadyStored += 1
                    } else {
                        switch record.verdict {
                        case .faithful: $0.faithful += 1
                        case .unfaithful: $0.unfaithful += 1
                        case .error: $0.errors += 1
                        }
                    }
                }
                return
            } catch {
                if Task.isCancelled || attempt == storeAttempts {
                    counters.withLock { $0.unstored += 1 }
                    logger.warning(
                        "a scored sample could not be stored; it is not counted",
                        metadata: ["request_id": "\(record.requestID)", "cause": "\(error)"])
                    return
                }
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }
}

/// What the scoring service did since start (this process only; the stored counts are in
/// `dl_quality_samples`).
public struct ScoringStatistics: Sendable, Equatable {
    public var faithful: Int64 = 0
    public var unfaithful: Int64 = 0
    /// Samples the scorer failed on (stored with the verdict `error`).
    public var errors: Int64 = 0
    /// Samples scored again but already stored (a replay): not counted again.
    public var alreadyStored: Int64 = 0
    /// Results that could not be stored within the attempts.
    public var unstored: Int64 = 0

    public init() {}
}
