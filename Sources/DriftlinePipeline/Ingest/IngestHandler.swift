import DriftlineCore
import DriftlineKafka
import DriftlineStore
import Logging

/// The consumer side of the pipeline. It runs entirely on the Kafka poll thread: decodes each
/// record, folds it into the window aggregates, and every `flush.interval_seconds` hands the
/// aggregates, the dead letters and the offsets of exactly those records to the store as one
/// transaction, while consumption goes on.
///
/// Exactly-once effect: offsets are only ever stored with the aggregates of the records before
/// them; on assignment each partition starts at its stored offset; a flush whose expected
/// offsets no longer match the stored ones (another member took the partition, or a commit went
/// through unacknowledged) is refused by the store, and this handler then drops everything it
/// has not stored and restarts all its partitions from the stored offsets.
final class IngestHandler: KafkaConsumerHandler {
    private let configuration: PipelineConfiguration
    private let store: AggregateStore
    private let logger: Logger
    private let formats: [String: RecordFormat]
    private let flushInterval: Duration
    private let decoder: NativeJSONDecoder
    private let liteLLMDecoder: LiteLLMDecoder
    private let openAIChatDecoder: OpenAIChatDecoder

    private var aggregator: WindowAggregator
    /// Cost rows, when a price catalogue is configured.
    private var costAggregator: CostAggregator?
    private var otlp: OTLPIngest
    private var deadLetters: [DeadLetter] = []
    /// Per assigned partition: the stored next offset (nil: none stored yet).
    private var expected: [SourcePartition: Int64?] = [:]
    /// Per partition with records since the last flush: next offset, records and dead letters.
    private var progress: [SourcePartition: (next: Int64, records: Int64, deadLetters: Int64)] = [:]
    private var inFlight: FlushInFlight?
    private var lastFlush = ContinuousClock.now
    private var retryNotBefore = ContinuousClock.now
    private var retryDelay: Duration = .milliseconds(200)
    private var paused = false

    private let counters: IngestCounters

    init(
        configuration: PipelineConfiguration, store: AggregateStore, counters: IngestCounters, logger: Logger,
        catalogue: PriceCatalogue? = nil, otlpMapping: GenAIMapping = GenAIMapping()
    ) {
        self.configuration = configuration
        self.counters = counters
        self.store = store
        self.logger = logger
        var formats: [String: RecordFormat] = [:]
        for topic in configuration.kafka.topics { formats[topic.name] = topic.format }
        self.formats = formats
        self.flushInterval = .milliseconds(Int64(configuration.flush.intervalSeconds * 1000))
        // The aggregates need no text or embeddings: they are validated but not materialised.
        self.decoder = NativeJSONDecoder(
            maxRecordBytes: configuration.decoder.maxRecordBytes, keepText: false, keepEmbedding: false)
        self.liteLLMDecoder = LiteLLMDecoder(maxRecordBytes: configuration.decoder.maxRecordBytes, keepText: false)
        self.openAIChatDecoder = OpenAIChatDecoder(
            maxRecordBytes: configuration.decoder.maxRecordBytes, keepText: false)
        self.aggregator = WindowAggregator(dimensions: DimensionSet(configuration.aggregation))
        self.costAggregator = catalogue.map {
            CostAggregator(
                catalogue: $0, settings: configuration.costs, windowSeconds: configuration.aggregation.windowSeconds)
        }
        self.otlp = OTLPIngest(
            mapping: otlpMapping,
            maxRecordBytes: configuration.decoder.maxRecordBytes, windowing: DimensionSet(configuration.aggregation))
    }

    // MARK: KafkaConsumerHandler

    func consume(_ batch: KafkaMessageBatch, from consumer: KafkaConsumer) {
        var good: Int64 = 0
        var bad: Int64 = 0
        // A batch comes in runs of one partition's records: the partition's bookkeeping is
        // looked up once per run and written back when the run ends, not hashed per record.
        var current: SourcePartition?
        var owned = false
        var entry: (next: Int64, records: Int64, deadLetters: Int64) = (0, 0, 0)
        for message in batch {
            if current?.partition != message.partition || current?.topic != message.topic {
                if let current, owned { progress[current] = entry }
                let partition = SourcePartition(topic: message.topic, partition: message.partition)
                // A message of a partition this member no longer owns (delivered around a
                // rebalance) is left for the new owner, who starts at the stored offset.
                owned = expected[partition] != nil
                entry = progress[partition] ?? (next: 0, records: 0, deadLetters: 0)
                current = partition
            }
            guard owned, let partition = current else { continue }
            entry.next = message.offset + 1
            entry.records += 1
            if let failure = fold(message, partition: partition) {
                entry.deadLetters += 1
                deadLetters.append(failure)
                bad += 1
            } else {
                good += 1
            }
        }
        if let current, owned { progress[current] = entry }
        counters.update {
            $0.records += good
            $0.deadLetters += bad
        }
        // Cost rows count too: attributed by user they can far outnumber the window rows.
        let pendingRows = aggregator.windows.count + (costAggregator?.costs.count ?? 0)
        if pendingRows >= configuration.flush.maxPendingWindows { flushIfPossible(consumer) }
    }

    /// Decodes and aggregates one record; returns its dead letter when it is bad.
    private func fold(_ message: KafkaMessageView, partition: SourcePartition) -> DeadLetter? {
        guard let value = message.value, !value.isEmpty else {
            return deadLetter(
                message, partition, code: "emptyRecord", reason: "record has no value (tombstone or empty)")
        }
        let format = formats[message.topic] ?? .nativeJSON
        do {
            switch format {
            case .otlpProto, .otlpJSON:
                for event in try otlp.decode(value, format: format) { aggregate(event, from: partition) }
            case .nativeJSON:
                aggregate(try decoder.decode(value), from: partition)
            case .litellm:
                aggregate(try liteLLMDecoder.decode(value), from: partition)
            case .openAIChat:
                aggregate(try openAIChatDecoder.decode(value), from: partition)
            }
            return nil
        } catch {
            return deadLetter(message, partition, code: error.code.description, reason: error.description)
        }
    }

    /// Folds one event into the window aggregates and, when prices are configured, the cost rows.
    private func aggregate(_ event: LLMEvent, from partition: SourcePartition) {
        aggregator.add(event, from: partition)
        costAggregator?.add(event)
    }

    private func deadLetter(_ message: KafkaMessageView, _ partition: SourcePartition, code: String, reason: String)
        -> DeadLetter
    {
        let cap = configuration.deadLetters.maxPayloadBytes
        return DeadLetter(
            partition: partition, offset: message.offset, key: message.key.map { Array($0) },
            timestampMilliseconds: message.timestampMilliseconds, errorCode: code, reason: reason,
            payload: message.value.map { Array($0.prefix(cap)) }, payloadSize: message.value?.count ?? 0)
    }

    func tick(consumer: KafkaConsumer) {
        if let inFlight, let outcome = inFlight.outcome {
            self.inFlight = nil
            complete(inFlight.batch, outcome, consumer: consumer)
        }
        let now = ContinuousClock.now
        guard now - lastFlush >= flushInterval else { return }
        if inFlight != nil {
            // The store is slower than ingest: stop fetching (polling goes on, so the group
            // membership stays alive) until the flush in flight has finished.
            if !paused { setPaused(true, consumer) }
            return
        }
        flushIfPossible(consumer)
    }

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) throws -> [TopicPartition: Int64] {
        counters.update { $0.rebalances += 1 }
        let topics = Array(Set(partitions.map(\.topic)))
        let store = self.store
        let group = configuration.kafka.groupID
        let stored = try blockingAwait { try await store.storedOffsets(group: group, topics: topics) }
        var offsets: [TopicPartition: Int64] = [:]
        for partition in partitions {
            let source = SourcePartition(topic: partition.topic, partition: partition.partition)
            let offset = stored[source]
            expected[source] = .some(offset)
            if let offset { offsets[partition] = offset }
        }
        logger.info(
            "partitions assigned",
            metadata: [
                "partitions": "\(partitions.map { "\($0.topic)[\($0.partition)]" }.joined(separator: ","))",
                "stored": "\(offsets.count)",
            ])
        return offsets
    }

    func partitionsRevoked(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        counters.update { $0.rebalances += 1 }
        // Store everything consumed so far before the partitions move, so their new owner
        // starts exactly after it. If the store cannot be reached, dropping the state is safe:
        // nothing of it was stored, so the new owner reads those records again.
        if let inFlight {
            self.inFlight = nil
            complete(inFlight.batch, inFlight.wait(), consumer: nil)
        }
        for attempt in 1...3 where !aggregator.isEmpty || !progress.isEmpty {
            let flush = FlushInFlight(batch: takeBatch(), store: store)
            complete(flush.batch, flush.wait(), consumer: nil)
            if progress.isEmpty { break }
            logger.warning("flush before revocation failed", metadata: ["attempt": "\(attempt)"])
        }
        // librdkafka keeps a partition's pause flag across unassign and a later assign, so a
        // partition paused now would stay paused when it comes back: resume before letting go.
        if paused { setPaused(false, consumer) }
        let revoked = Set(partitions.map { SourcePartition(topic: $0.topic, partition: $0.partition) })
        for partition in revoked {
            expected[partition] = nil
            progress[partition] = nil
        }
        if expected.isEmpty || !progress.isEmpty {
            discardUnstored()
        }
        logger.info("partitions revoked", metadata: ["count": "\(partitions.count)"])
    }

    func consumerError(_ error: KafkaError, consumer: KafkaConsumer) {
        logger.warning("consumer error", metadata: ["error": "\(error)"])
    }

    // MARK: Flushing

    private func flushIfPossible(_ consumer: KafkaConsumer) {
        guard inFlight == nil, ContinuousClock.now >= retryNotBefore else { return }
        lastFlush = .now
        if aggregator.isEmpty && progress.isEmpty && deadLetters.isEmpty {
            if paused { setPaused(false, consumer) }
            return
        }
        inFlight = FlushInFlight(batch: takeBatch(), store: store)
        if paused { setPaused(false, consumer) }
    }

    private func takeBatch() -> FlushBatch {
        var offsets: [OffsetAdvance] = []
        for (partition, entry) in progress {
            let stored = expected[partition] ?? nil
            offsets.append(
                OffsetAdvance(
                    partition: partition, expected: stored, next: entry.next, records: entry.records,
                    deadLetters: entry.deadLetters))
        }
        let batch = FlushBatch(
            consumerGroup: configuration.kafka.groupID, windows: aggregator.take(),
            costs: costAggregator?.take() ?? [:],
            deadLetters: deadLetters, offsets: offsets, spanCounts: otlp.take())
        deadLetters = []
        progress = [:]
        return batch
    }

    private func complete(_ batch: FlushBatch, _ outcome: Result<FlushOutcome, any Error>, consumer: KafkaConsumer?) {
        switch outcome {
        case .success(.committed):
            for advance in batch.offsets where expected[advance.partition] != nil {
                expected[advance.partition] = .some(advance.next)
            }
            let records = batch.offsets.reduce(0) { $0 + $1.records }
            counters.update {
                $0.flushes += 1
                $0.committedRecords += records
            }
            retryDelay = .milliseconds(200)
        case .success(.fenced(let partitions)):
            counters.update { $0.fencedFlushes += 1 }
            logger.warning(
                "flush fenced: another consumer has stored these partitions' offsets; restarting from the stored offsets",
                metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            discardUnstored()
            if let consumer { restartFromStoredOffsets(consumer) }
        case .failure(let error):
            counters.update { $0.failedFlushes += 1 }
            logger.error(
                "flush failed; keeping its data for the next attempt",
                metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(retryDelay)"])
            restore(batch)
            retryNotBefore = .now + retryDelay
            retryDelay = min(retryDelay * 2, .seconds(30))
        }
    }

    /// Puts a failed flush's data back in front of what was consumed since, so the next flush
    /// carries both (aggregates merge; offsets keep the furthest position).
    private func restore(_ batch: FlushBatch) {
        aggregator.restore(batch.windows)
        costAggregator?.restore(batch.costs)
        otlp.restore(batch.spanCounts)
        deadLetters = batch.deadLetters + deadLetters
        for advance in batch.offsets where expected[advance.partition] != nil {
            if let later = progress[advance.partition] {
                progress[advance.partition] = (
                    later.next, later.records + advance.records, later.deadLetters + advance.deadLetters
                )
            } else {
                progress[advance.partition] = (advance.next, advance.records, advance.deadLetters)
            }
        }
    }

    private func discardUnstored() {
        aggregator.reset()
        costAggregator?.reset()
        otlp.reset()
        deadLetters = []
        progress = [:]
    }

    /// After a fenced flush: read the stored offsets again and seek every assigned partition there.
    private func restartFromStoredOffsets(_ consumer: KafkaConsumer) {
        let store = self.store
        let group = configuration.kafka.groupID
        let topics = Array(Set(expected.keys.map(\.topic)))
        do {
            let stored = try blockingAwait { try await store.storedOffsets(group: group, topics: topics) }
            var seeks: [TopicPartition: Int64] = [:]
            for partition in expected.keys {
                let offset = stored[partition]
                expected[partition] = .some(offset)
                seeks[TopicPartition(topic: partition.topic, partition: partition.partition)] =
                    offset ?? KafkaOffset.beginning
            }
            try consumer.seek(seeks)
        } catch {
            // Without the stored offsets this member cannot know where to resume; leaving the
            // group lets another member (or this one, after restart) take over cleanly.
            logger.critical("cannot restart from stored offsets; stopping", metadata: ["error": "\(error)"])
            consumer.stop()
        }
    }

    private func setPaused(_ pause: Bool, _ consumer: KafkaConsumer) {
        let partitions = expected.keys.map { TopicPartition(topic: $0.topic, partition: $0.partition) }
        do {
            if pause {
                try consumer.pause(partitions)
                counters.update { $0.pauses += 1 }
                logger.info("store is behind; pausing partitions")
            } else {
                try consumer.resume(partitions)
            }
            paused = pause
        } catch {
            logger.warning("pause/resume failed", metadata: ["error": "\(error)"])
        }
    }
}
