import DriftlineCore
import DriftlineStats
import DriftlineStore
import Testing

@testable import DriftlinePipeline

/// The sampling policy without Kafka or PostgreSQL: which events are eligible, which stratum and
/// rate each gets, which are sampled (checked by brute force against the hash's definition), and
/// what is counted when the queue sheds.
@Suite struct QualitySamplerTests {
    static let partition = SourcePartition(topic: "llm.requests", partition: 3)
    static let grouping = WindowGrouping(windowSeconds: 60, dimensions: [.model, .app], labels: [])

    static func event(
        _ index: Int, model: String = "m", app: String = "chat", version: String = "", response: String? = "It is 4.",
        context: [String]? = ["Two plus two is 4."], prompt: String? = nil, feedback: Feedback? = nil,
        finish: String? = "stop", requestID: Bool = true, logprobMean: Double? = nil
    ) -> EnrichedEvent {
        var event = LLMEvent(
            requestID: requestID ? "req-\(index)" : nil, start: EventTime(microsecondsSinceEpoch: 1_000_000),
            end: EventTime(microsecondsSinceEpoch: 2_000_000), model: model)
        event.dimensions.app = app
        event.dimensions.modelVersion = version
        event.response = response
        event.context = context
        event.prompt = prompt
        event.feedback = feedback
        event.finishReason = finish
        event.logprobMean = logprobMean
        return EnrichedEvent(event, offset: Int64(1_000 + index), indexInRecord: 0)
    }

    static func sampler(
        _ configure: (inout PipelineConfiguration.QualitySettings) -> Void = { _ in }, capacity: Int = 1_000_000
    ) -> QualitySampler {
        var settings = PipelineConfiguration.QualitySettings()
        settings.newVersionEvents = 0
        configure(&settings)
        return QualitySampler(
            consumerGroup: "g", settings: settings, grouping: grouping, queue: ScoringQueue(capacity: capacity))
    }

    static func drain(_ queue: ScoringQueue) async -> [ScoringRequest] {
        var requests: [ScoringRequest] = []
        while queue.snapshot.depth > 0, let next = await queue.next() { requests.append(next) }
        return requests
    }

    static func total(_ counts: [QualityCountKey: QualityCount], stratum: String) -> QualityCount {
        var total = QualityCount()
        for (key, count) in counts where key.stratum == stratum { total.add(count) }
        return total
    }

    @Test func eligibilityNeedsAResponseAndAGroundingSource() {
        var sampler = Self.sampler { $0.rates.base = 1 }
        sampler.add(Self.event(0), from: Self.partition)
        sampler.add(Self.event(1, response: nil), from: Self.partition)
        sampler.add(Self.event(2, response: ""), from: Self.partition)
        sampler.add(Self.event(3, context: nil, prompt: "What is 2+2?"), from: Self.partition)
        sampler.add(Self.event(4, context: ["", ""]), from: Self.partition)
        sampler.add(Self.event(5, context: [], prompt: nil), from: Self.partition)
        let counts = sampler.take().counts
        #expect(Self.total(counts, stratum: "ineligible").events == 5)
        #expect(Self.total(counts, stratum: "base").events == 1)
        #expect(Self.total(counts, stratum: "base").sampled == 1)

        var onPrompt = Self.sampler {
            $0.rates.base = 1
            $0.groundOnPrompt = true
        }
        onPrompt.add(Self.event(3, context: nil, prompt: "What is 2+2?"), from: Self.partition)
        onPrompt.add(Self.event(5, context: [], prompt: nil), from: Self.partition)
        let promptCounts = onPrompt.take().counts
        #expect(Self.total(promptCounts, stratum: "base").events == 1)
        #expect(Self.total(promptCounts, stratum: "ineligible").events == 1)
    }

    /// Brute force: every event is sampled exactly when the hash's fraction of its id is below its
    /// stratum's rate, the counts per stratum add up, and two samplers (two consumers, or a
    /// replay) pick the same ids.
    @Test func samplingIsTheHashBelowTheStratumsRate() async {
        let configure: (inout PipelineConfiguration.QualitySettings) -> Void = {
            $0.rates.base = 0.05
            $0.rates.feedback = 0.8
            $0.rates.finishReason = 0.3
            $0.rates.lowLogprob = 0.4
            $0.lowLogprobBelow = -1.5
            $0.overrides = [.init(app: "support", baseRate: 0.2)]
        }
        var first = Self.sampler(configure)
        var second = Self.sampler(configure)
        var expected: [String: (stratum: String, rate: Double)] = [:]
        var perStratum: [String: (events: Int64, sampled: Int64)] = [:]
        for index in 0..<20_000 {
            let app = index % 4 == 0 ? "support" : "chat"
            let negative = index % 11 == 0
            let finish = index % 7 == 0 ? "length" : "stop"
            // Every fifth answer was uncertain (mean log-probability −2); others −0.3 or not logged.
            let logprob: Double? = index % 5 == 0 ? -2 : index % 3 == 0 ? -0.3 : nil
            let event = Self.event(
                index, app: app, feedback: negative ? Feedback(score: 0) : Feedback(label: "thumbs_up"), finish: finish,
                logprobMean: logprob)
            first.add(event, from: Self.partition)
            second.add(event, from: Self.partition)
            let stratum =
                negative ? "feedback" : logprob == -2 ? "low_logprob" : finish == "length" ? "finish_reason" : "base"
            let rate =
                switch stratum {
                case "feedback": 0.8
                case "low_logprob": 0.4
                case "finish_reason": 0.3
                default: app == "support" ? 0.2 : 0.05
                }
            let sampled = StableSampleHash.fraction("req-\(index)") < rate
            perStratum[stratum, default: (0, 0)].events += 1
            if sampled {
                perStratum[stratum, default: (0, 0)].sampled += 1
                expected["req-\(index)"] = (stratum, rate)
            }
        }
        let queued = await Self.drain(first.queue)
        #expect(Set(queued.map(\.id)) == Set(expected.keys))
        for request in queued {
            #expect(request.stratum.rawValue == expected[request.id]?.stratum)
            #expect(request.rate == expected[request.id]?.rate)
        }
        #expect(Set(await Self.drain(second.queue).map(\.id)) == Set(expected.keys))
        let counts = first.take().counts
        for (stratum, figures) in perStratum {
            let total = Self.total(counts, stratum: stratum)
            #expect(total.events == figures.events, "\(stratum)")
            #expect(total.sampled == figures.sampled, "\(stratum)")
        }
        // The base stratum's two rates (the override for support) are two rows.
        #expect(Set(counts.keys.filter { $0.stratum == "base" }.map(\.rate)) == [0.05, 0.2])
        #expect(counts == second.take().counts)
    }

    @Test func theFirstEventsOfAModelVersionAreBoostedAndTheCountSurvivesARestart() {
        var sampler = Self.sampler {
            $0.newVersionEvents = 3
            $0.rates.newVersion = 1
            $0.rates.base = 0
        }
        for index in 0..<5 { sampler.add(Self.event(index, version: "v1"), from: Self.partition) }
        sampler.add(Self.event(5, version: ""), from: Self.partition)
        let rows = sampler.take()
        #expect(Self.total(rows.counts, stratum: "new_version").events == 3)
        #expect(Self.total(rows.counts, stratum: "new_version").sampled == 3)
        #expect(Self.total(rows.counts, stratum: "base").events == 3)
        #expect(rows.states.count == 1)

        // A restart loads the stored count: two more events of v1 are not new.
        var restarted = Self.sampler {
            $0.newVersionEvents = 3
            $0.rates.newVersion = 1
        }
        var stored: [SourcePartition: [String: [UInt8]]] = [:]
        for (key, bytes) in rows.states { stored[key.partition, default: [:]][key.key] = bytes }
        #expect(restarted.loadState(stored, for: [Self.partition]).isEmpty)
        restarted.add(Self.event(6, version: "v1"), from: Self.partition)
        restarted.add(Self.event(7, version: "v2"), from: Self.partition)
        let after = restarted.take().counts
        #expect(Self.total(after, stratum: "new_version").events == 1)
        #expect(Self.total(after, stratum: "base").events == 1)
        #expect(
            restarted.loadState([Self.partition: ["m\tv1": [1, 2]]], for: [Self.partition]).count == 1,
            "a stored count that is not 8 bytes is reported")
    }

    @Test func whatTheQueueCannotTakeIsShedAndCountedByReason() async {
        var sampler = Self.sampler(
            {
                $0.rates.base = 1
                $0.maxTextBytes = 100
            }, capacity: 10)
        for index in 0..<25 { sampler.add(Self.event(index), from: Self.partition) }
        sampler.add(Self.event(25, response: String(repeating: "x", count: 200)), from: Self.partition)
        sampler.queue.close()
        sampler.add(Self.event(26), from: Self.partition)
        let base = Self.total(sampler.take().counts, stratum: "base")
        #expect(base.events == 27)
        #expect(base.sampled == 27)
        #expect(base.shedQueueFull == 15)
        #expect(base.shedTooLong == 1)
        #expect(base.shedNoScorer == 1)
        #expect(sampler.queue.snapshot.abandoned == 10)
    }

    @Test func eventsWithoutARequestIdAreKeyedByTheirPlaceInKafka() async {
        var sampler = Self.sampler { $0.rates.base = 1 }
        sampler.add(Self.event(1, requestID: false), from: Self.partition)
        let queued = await Self.drain(sampler.queue)
        #expect(queued.map(\.id) == ["kafka:llm.requests/3/1001#0"])
    }

    @Test func aFailedFlushIsRestoredAndAFencedOneDiscarded() {
        var sampler = Self.sampler { $0.rates.base = 1 }
        sampler.add(Self.event(0), from: Self.partition)
        let rows = sampler.take()
        sampler.add(Self.event(1), from: Self.partition)
        sampler.restore(rows)
        #expect(Self.total(sampler.take().counts, stratum: "base").events == 2)
        sampler.add(Self.event(2), from: Self.partition)
        sampler.discardUnstored()
        #expect(sampler.take().counts.isEmpty)
    }
}
