import DriftlineCore
import DriftlineKafka
import DriftlineStore
import Logging

/// Drives ingest on the Kafka poll thread: decodes each record with the registry's decoder for
/// its topic, enriches the events and hands them to every analyser, and carries out what the
/// ``IngestStateMachine`` decides — flushes (the analysers' rows, the dead letters and the
/// offsets of exactly those records, as one transaction), restores, discards, seeks, pauses and
/// probes. It has no scheduling, retry or fencing logic of its own.
///
/// Exactly-once effect: offsets are only ever stored with the rows of the records before them;
/// on assignment each partition starts at its stored offset; a flush whose expected offsets no
/// longer match the stored ones is refused by the store (`FlushOutcome.fenced`), and the machine
/// then drops everything unstored and restarts its partitions from the stored offsets.
final class IngestHandler: KafkaConsumerHandler {
    private let group: String
    private let store: AggregateStore
    private let logger: Logger
    private let counters: IngestCounters
    private let decoders: DecoderRegistry
    private var enrichers: [any EventEnricher]
    private var analysers: [any EventAnalyser]
    private var deadLetters: [DeadLetter] = []
    private let maxDeadLetterPayload: Int
    private let storeTimeout: Duration
    /// How far the flush deadline is lengthened: each flush that passes its deadline doubles the
    /// next one's, up to 8× `flush.timeout_seconds`, so a store that is slow but alive (an
    /// overloaded server, a backlog replayed after an outage) gets a flush through instead of
    /// cancelling the same, ever larger, flush forever. A flush that completes halves it back
    /// one step: one flush that got through under a long deadline does not mean the next large
    /// one fits the short one again.
    private var flushDeadlineDoublings = 0
    private var machine: IngestStateMachine
    private var flight: (call: StoreCall<FlushOutcome>, batch: FlushBatch)?
    private var probe: StoreCall<Void>?
    /// Set while partitions are being let go: a fencing restart waits until they are gone.
    private var revoking = false
    private var restartAfterRevocation = false
    private let metrics: PipelineMetrics
    private let readiness: IngestReadinessBox
    /// When the flush in flight was submitted, for its duration.
    private var flushStarted: ContinuousClock.Instant?
    private var lagUpdated: ContinuousClock.Instant?

    init(
        configuration: PipelineConfiguration, store: AggregateStore, counters: IngestCounters, logger: Logger,
        decoders: DecoderRegistry, enrichers: [any EventEnricher], analysers: [any EventAnalyser],
        storeTimeout: Duration = .seconds(30), metrics: PipelineMetrics = PipelineMetrics(),
        readiness: IngestReadinessBox = IngestReadinessBox()
    ) {
        self.metrics = metrics
        self.readiness = readiness
        self.group = configuration.kafka.groupID
        self.store = store
        self.logger = logger
        self.counters = counters
        self.decoders = decoders
        self.enrichers = enrichers
        self.analysers = analysers
        self.maxDeadLetterPayload = configuration.deadLetters.maxPayloadBytes
        self.storeTimeout = storeTimeout
        self.machine = IngestStateMachine(
            settings: IngestStateMachine.Settings(
                flushInterval: .milliseconds(Int64(configuration.flush.intervalSeconds * 1000)),
                maxPendingRows: configuration.flush.maxPendingWindows),
            now: .now)
    }

    /// Rows the analysers and the dead letters hold for the next flush.
    private var pendingRows: Int { analysers.reduce(deadLetters.count) { $0 + $1.pendingRows } }

    // MARK: Consuming

    func consume(_ batch: KafkaMessageBatch, from consumer: KafkaConsumer) {
        var good: Int64 = 0
        var bad: Int64 = 0
        // A batch comes in runs of one partition's records: ownership and the decoder are looked
        // up once per run, and the machine hears of the run when it ends, not per record.
        var current: SourcePartition?
        var owned = false
        var decoder: (any FormatDecoder)?
        var next: Int64 = 0
        var records: Int64 = 0
        var dead: Int64 = 0
        for message in batch {
            if current?.partition != message.partition || current?.topic != message.topic {
                if let current, owned {
                    machine.consumed(current, next: next, records: records, deadLetters: dead)
                    metrics.consumed(topic: current.topic, records: records, deadLetters: dead)
                }
                let partition = SourcePartition(topic: message.topic, partition: message.partition)
                owned = machine.owns(partition)
                decoder = decoders.decoder(forTopic: message.topic)
                (records, dead) = (0, 0)
                current = partition
            }
            guard owned, let partition = current, let decoder else { continue }
            next = message.offset + 1
            records += 1
            if let failure = fold(message, partition: partition, decoder: decoder) {
                dead += 1
                deadLetters.append(failure)
                bad += 1
            } else {
                good += 1
            }
        }
        if let current, owned {
            machine.consumed(current, next: next, records: records, deadLetters: dead)
            metrics.consumed(topic: current.topic, records: records, deadLetters: dead)
        }
        counters.update {
            $0.records += good
            $0.deadLetters += bad
        }
        perform(machine.tick(now: .now, pendingRows: pendingRows), consumer: consumer)
        report(consumer)
    }

    /// Decodes one record and hands what it holds to the analysers; returns its dead letter
    /// when it is bad (then nothing of it was analysed).
    private func fold(_ message: KafkaMessageView, partition: SourcePartition, decoder: any FormatDecoder)
        -> DeadLetter?
    {
        guard let value = message.value, !value.isEmpty else {
            return deadLetter(
                message, partition, code: "emptyRecord", reason: "record has no value (tombstone or empty)")
        }
        var index = 0
        do {
            try decoder.decode(value) { item in
                switch item {
                case .event(let event):
                    analyse(event, from: partition, offset: message.offset, index: index)
                    index += 1
                case .otherSpan(let span):
                    for index in analysers.indices { analysers[index].add(span, from: partition) }
                }
            }
            return nil
        } catch {
            // The reason names the field; syntax errors found below a field carry it apart.
            let reason = error.field.map { error.reason.contains($0) ? error.reason : "\($0): \(error.reason)" }
            return deadLetter(message, partition, code: error.code.description, reason: reason ?? error.reason)
        }
    }

    private func analyse(_ event: LLMEvent, from partition: SourcePartition, offset: Int64, index: Int) {
        var enriched = EnrichedEvent(event, offset: offset, indexInRecord: index)
        for index in enrichers.indices { enrichers[index].enrich(&enriched) }
        for index in analysers.indices { analysers[index].add(enriched, from: partition) }
    }

    private func deadLetter(_ message: KafkaMessageView, _ partition: SourcePartition, code: String, reason: String)
        -> DeadLetter
    {
        DeadLetter(
            partition: partition, offset: message.offset, key: message.key.map { Array($0) },
            timestampMilliseconds: message.timestampMilliseconds, errorCode: code, reason: reason,
            payload: message.value.map { Array($0.prefix(maxDeadLetterPayload)) },
            payloadSize: message.value?.count ?? 0)
    }

    func tick(consumer: KafkaConsumer) {
        if let flight, let result = flight.call.result() {
            self.flight = nil
            complete(flight.batch, result, consumer: consumer)
        }
        if let probe, let result = probe.result() {
            self.probe = nil
            let reachable: Bool
            if case .success = result { reachable = true } else { reachable = false }
            perform(machine.probeCompleted(reachable: reachable, now: .now), consumer: consumer)
        }
        perform(machine.tick(now: .now, pendingRows: pendingRows), consumer: consumer)
        report(consumer)
    }

    /// Publishes the machine's readiness (every call: its time shows the loop is alive) and, at
    /// most once a second, each owned partition's lag from the watermarks librdkafka last fetched.
    private func report(_ consumer: KafkaConsumer) {
        let now = ContinuousClock.now
        readiness.publish(machine.readiness, at: now)
        if let lagUpdated, now - lagUpdated < .seconds(1) { return }
        lagUpdated = now
        for (partition, state) in machine.partitions {
            guard let marks = consumer.cachedWatermarks(topic: partition.topic, partition: partition.partition)
            else { continue }
            metrics.lag(partition, records: ConsumerLag.records(high: marks.high, low: marks.low, stored: state.stored))
        }
    }

    // MARK: Rebalances

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) throws -> [TopicPartition: Int64] {
        counters.update { $0.rebalances += 1 }
        let stored = try readStoredOffsets(topics: Array(Set(partitions.map(\.topic))))
        var assigned: [SourcePartition: Int64?] = [:]
        var offsets: [TopicPartition: Int64] = [:]
        for partition in partitions {
            let source = SourcePartition(topic: partition.topic, partition: partition.partition)
            assigned[source] = .some(stored[source])
            if let offset = stored[source] { offsets[partition] = offset }
        }
        try loadAnalyserState(for: Set(assigned.keys))
        // The consumer logs the assignment once, with each partition's start offset.
        machine.assigned(assigned)
        readiness.publish(machine.readiness, at: .now)
        return offsets
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        counters.update { $0.rebalances += 1 }
        // Store everything consumed so far before the partitions move, so their new owner
        // starts exactly after it. If the store cannot be reached, dropping the state is safe:
        // nothing of it was stored, so the new owner reads those records again.
        let revoked = Set(partitions.map { SourcePartition(topic: $0.topic, partition: $0.partition) })
        let owned = machine.partitions.keys.map { TopicPartition(topic: $0.topic, partition: $0.partition) }
        revoking = true
        defer { revoking = false }
        // Letting go (a rebalance or shutdown) is bounded by the configured deadline, not a
        // lengthened one.
        flushDeadlineDoublings = 0
        while true {
            switch machine.revoking(revoked, pendingRows: pendingRows) {
            case .awaitFlight:
                if let flight {
                    self.flight = nil
                    complete(flight.batch, flight.call.wait(), consumer: consumer)
                } else {
                    let lost = StoreCallTimeout(what: "flush", timeout: .zero)
                    complete(
                        FlushBatch(consumerGroup: group, offsets: [], rows: []), .failure(lost), consumer: consumer)
                }
            case .flush(let offsets):
                let flight = submit(offsets)
                complete(flight.batch, flight.call.wait(), consumer: consumer)
            case .release(let release):
                if release.resume { setPaused(false, owned, consumer) }
                if release.discardUnstored { discardUnstored() }
                for index in analysers.indices { _ = analysers[index].loadState([:], for: revoked) }
                metrics.forgetLag(of: revoked)
                readiness.publish(machine.readiness, at: .now)
                if !release.unstored.isEmpty {
                    let records = release.unstored.values.reduce(0, +)
                    counters.update { $0.unstoredRecords += records }
                    logger.error(
                        "could not store what was consumed before letting partitions go; the next owner reads these records again from Kafka",
                        metadata: [
                            "records": "\(records)",
                            "partitions": "\(release.unstored.keys.sorted().map(\.description).joined(separator: ","))",
                        ])
                }
                if release.restartRemaining || restartAfterRevocation {
                    restartAfterRevocation = false
                    if !machine.partitions.isEmpty { restartFromStoredOffsets(consumer) }
                }
                return
            }
        }
    }

    func consumerError(_ error: KafkaError, consumer: KafkaConsumer) {
        logger.warning("consumer error", metadata: ["error": "\(error)"])
    }

    // MARK: Carrying out the machine's actions

    private func perform(_ actions: [IngestStateMachine.Action], consumer: KafkaConsumer, failed: FlushBatch? = nil) {
        for action in actions {
            switch action {
            case .flush(let offsets):
                flight = submit(offsets)
            case .restoreRows:
                if let failed { restore(failed) }
            case .discardUnstored:
                discardUnstored()
            case .restartFromStoredOffsets:
                if revoking { restartAfterRevocation = true } else { restartFromStoredOffsets(consumer) }
            case .pause:
                setPaused(true, machine.partitions.keys.map(\.topicPartition), consumer)
            case .resume:
                setPaused(false, machine.partitions.keys.map(\.topicPartition), consumer)
            case .probeStore:
                let store = self.store
                probe = StoreCall("probe", timeout: .seconds(2)) { try await store.probe() }
            case .reportStoreUnreachable(let cause):
                readiness.storeUnreachable(cause: cause)
                logger.warning(
                    "PostgreSQL is unreachable; consumption pauses when the next flush falls due, and the store is probed every second until it answers",
                    metadata: ["cause": "\(cause)"])
            case .reportStoreRecovered(let after, let records):
                logger.notice(
                    "PostgreSQL answers again; stored what was held through the outage",
                    metadata: ["outage": "\(after)", "records": "\(records)"])
            case .reportFlushFailed(let cause, let retryIn):
                logger.error(
                    "flush failed; keeping its data for the next attempt",
                    metadata: ["cause": "\(cause)", "retry_in": "\(retryIn)"])
            case .reportFenced(let partitions):
                counters.update { $0.fencedFlushes += 1 }
                logger.warning(
                    "flush fenced: another consumer has stored these partitions' offsets; restarting from the stored offsets",
                    metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            }
        }
    }

    private func submit(_ offsets: [OffsetAdvance]) -> (call: StoreCall<FlushOutcome>, batch: FlushBatch) {
        var rows: [any StoredRows] = []
        rows.reserveCapacity(analysers.count + 1)
        for index in analysers.indices { rows.append(analysers[index].takeRows()) }
        rows.append(DeadLetterRows(consumerGroup: group, deadLetters))
        deadLetters = []
        let batch = FlushBatch(consumerGroup: group, offsets: offsets, rows: rows)
        let store = self.store
        let timeout = storeTimeout * (1 << flushDeadlineDoublings)
        flushStarted = .now
        return (StoreCall("flush", timeout: timeout) { try await store.write(batch) }, batch)
    }

    private func complete(_ batch: FlushBatch, _ outcome: Result<FlushOutcome, any Error>, consumer: KafkaConsumer) {
        if case .failure(let error) = outcome, error is StoreCallTimeout {
            flushDeadlineDoublings = min(flushDeadlineDoublings + 1, 3)
        } else {
            flushDeadlineDoublings = max(flushDeadlineDoublings - 1, 0)
        }
        let result: IngestStateMachine.FlushResult
        let duration = flushStarted.map { ContinuousClock.now - $0 }
        flushStarted = nil
        switch outcome {
        case .success(.committed):
            let records = batch.offsets.reduce(0) { $0 + $1.records }
            counters.update {
                $0.flushes += 1
                $0.committedRecords += records
            }
            if let duration { metrics.flushed(outcome: "committed", duration: duration) }
            metrics.wrote(batch.rows)
            result = .committed
        case .success(.fenced(let partitions)):
            if let duration { metrics.flushed(outcome: "fenced", duration: duration) }
            result = .fenced(partitions)
        case .failure(let error):
            if let duration { metrics.flushed(outcome: "failed", duration: duration) }
            counters.update { $0.failedFlushes += 1 }
            result = .failed(
                cause: StoreFailure.describe(error), storeUnreachable: StoreFailure.Kind(error) == .unreachable)
        }
        perform(machine.flushCompleted(result, now: .now, pendingRows: pendingRows), consumer: consumer, failed: batch)
    }

    /// Puts a failed flush's rows back in front of what was consumed since, so the next flush
    /// carries both (aggregates merge).
    private func restore(_ batch: FlushBatch) {
        for (index, rows) in batch.rows.enumerated() {
            if index < analysers.count {
                analysers[index].restoreRows(rows)
            } else if let letters = rows as? DeadLetterRows {
                deadLetters = letters.letters + deadLetters
            }
        }
    }

    private func discardUnstored() {
        for index in analysers.indices { analysers[index].discardUnstored() }
        deadLetters = []
    }

    private func readStoredOffsets(topics: [String]) throws -> [SourcePartition: Int64] {
        let store = self.store
        let group = self.group
        let call = StoreCall("reading stored offsets", timeout: storeTimeout) {
            try await store.storedOffsets(group: group, topics: topics)
        }
        return try call.wait().get()
    }

    /// Loads the state that analysers keep across flushes, as stored with the partitions'
    /// offsets, into each analyser that keeps some.
    private func loadAnalyserState(for partitions: Set<SourcePartition>) throws {
        for index in analysers.indices {
            guard let name = analysers[index].stateName else { continue }
            let (store, group) = (self.store, self.group)
            let call = StoreCall("reading analyser state", timeout: storeTimeout) {
                try await store.analyserState(group: group, analyser: name, partitions: Array(partitions))
            }
            let problems = analysers[index].loadState(try call.wait().get(), for: partitions)
            for problem in problems {
                logger.error(
                    "stored analyser state cannot be read; that detector starts afresh",
                    metadata: ["analyser": "\(name)", "state": "\(problem)"])
            }
        }
    }

    /// After a fenced flush: read the stored offsets again and seek every owned partition there.
    private func restartFromStoredOffsets(_ consumer: KafkaConsumer) {
        do {
            let stored = try readStoredOffsets(topics: Array(Set(machine.partitions.keys.map(\.topic))))
            try loadAnalyserState(for: Set(machine.partitions.keys))
            machine.restarted(stored: stored)
            var seeks: [TopicPartition: Int64] = [:]
            for partition in machine.partitions.keys {
                seeks[partition.topicPartition] = stored[partition] ?? KafkaOffset.beginning
            }
            try consumer.seek(seeks)
        } catch {
            // Without the stored offsets this member cannot know where to resume; leaving the
            // group lets another member (or this one, after restart) take over cleanly.
            logger.critical(
                "cannot restart from stored offsets; stopping", metadata: ["cause": "\(StoreFailure.describe(error))"])
            consumer.stop()
        }
    }

    private func setPaused(_ pause: Bool, _ partitions: [TopicPartition], _ consumer: KafkaConsumer) {
        do {
            if pause {
                try consumer.pause(partitions)
                counters.update { $0.pauses += 1 }
            } else {
                try consumer.resume(partitions)
            }
        } catch {
            logger.warning("pause/resume failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SourcePartition {
    fileprivate var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
