import DriftlineCore
public import DriftlineStats
public import DriftlineStore

/// Embedding-centroid drift at ingest: per window and grouping, the count and sum of the events'
/// embedding vectors (`dl_embedding_windows`, centroid = sum / count) and a bottom-k sample of
/// them keyed on the request id (`dl_embedding_samples`) for the MMD. Both merge exactly across
/// flushes, members and windows, and a replay keeps the same sample: which vectors are kept
/// depends only on the hashes of their request ids.
///
/// With `encode_text`, an event without a vector but with the configured text offers that text
/// instead: per window and grouping the texts with the `sampleSize` smallest hashes are queued
/// (`dl_embedding_texts`, with the offsets) for the sentence encoder, which runs apart from ingest
/// (`TextEmbeddingService`) and adds their vectors to the sums and samples once each.
///
/// Vectors of another dimension and with NaN or infinite elements never reach it: the decoder
/// refuses them (a dead letter naming `embedding`). One that still arrives (a decoder without the
/// check) is counted in ``refused`` and left out of every centroid.
public struct EmbeddingCentroidAnalyser: EventAnalyser {
    public let grouping: WindowGrouping
    public let dimension: Int
    public let sampleSize: Int
    public private(set) var sums: [WindowKey: EmbeddingSum] = [:]
    public private(set) var samples: [WindowKey: BottomKSample<[Float]>] = [:]
    public let textSource: EmbeddingTextSource?
    /// Texts to encode, per window and grouping: the bottom-k of their hashes.
    public private(set) var texts: [WindowKey: BottomKSample<String>] = [:]
    /// Vectors left out because their dimension differs or an element is not finite.
    public private(set) var refused = 0

    public init(windowSeconds: Int, settings: PipelineConfiguration.EmbeddingSettings) {
        grouping = WindowGrouping(windowSeconds: windowSeconds, dimensions: settings.groupBy, labels: [])
        dimension = settings.dimension
        sampleSize = settings.sampleSize
        textSource = settings.encodeText
    }

    public var needs: AnalyserNeeds { textSource == nil ? .embedding : [.embedding, .text] }

    public var pendingRows: Int { sums.count + texts.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        guard let vector = event.event.embedding else {
            if let textSource, let text = textSource.text(of: event.event) {
                let key = grouping.key(for: event.event)
                texts[key, default: BottomKSample(capacity: sampleSize)].add(
                    hash: Self.sampleHash(of: event.event), text)
            }
            return
        }
        let key = grouping.key(for: event.event)
        do {
            if sums[key] == nil { sums[key] = try EmbeddingSum(dimension: dimension) }
            try sums[key]!.add(vector)
        } catch {
            refused += 1
            return
        }
        let hash = Self.sampleHash(of: event.event)
        if samples[key] == nil { samples[key] = BottomKSample(capacity: sampleSize) }
        samples[key]!.add(hash: hash, vector)
    }

    /// The request id's hash; an event without one is keyed on its start time and model, which a
    /// replay gives again too.
    static func sampleHash(of event: LLMEvent) -> Int64 {
        if let id = event.requestID { return SampleHash.hash(id) }
        return SampleHash.hash("\(event.start.microsecondsSinceEpoch)/\(event.model)/\(event.provider)")
    }

    public mutating func take() -> EmbeddingRows {
        defer {
            sums = [:]
            samples = [:]
            texts = [:]
        }
        return EmbeddingRows(
            sums: sums, samples: samples, texts: texts, textDimension: dimension, sampleSize: sampleSize)
    }

    public mutating func restore(_ rows: EmbeddingRows) {
        for (key, sum) in rows.sums {
            if let current = sums[key] {
                var merged = sum
                if (try? merged.merge(current)) != nil { sums[key] = merged }
            } else {
                sums[key] = sum
            }
        }
        for (key, sample) in rows.samples {
            samples[key, default: BottomKSample(capacity: sampleSize)].merge(sample)
        }
        for (key, sample) in rows.texts {
            texts[key, default: BottomKSample(capacity: sampleSize)].merge(sample)
        }
    }

    public mutating func discardUnstored() {
        sums = [:]
        samples = [:]
        texts = [:]
    }
}
