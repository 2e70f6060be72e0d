public import DriftlineModel
public import DriftlineStore
public import Logging
import Synchronization

/// A sentence encoder for `drift.embeddings.encode_text`: one vector of `dimension` elements
/// per text.
public protocol TextEmbedding: Sendable {
    var dimension: Int { get }
    func embed(_ texts: [String]) throws -> [[Float]]
}

/// Makes the encoder when the service first needs it (loading the weights takes a moment).
public typealias TextEmbedderFactory = @Sendable () throws -> any TextEmbedding

/// The shipped sentence encoder (all-MiniLM-L6-v2, found as the faithfulness scorer finds it).
public let shippedSentenceEmbedder: TextEmbedderFactory = {
    try SentenceEmbedder(directory: try ReferenceModelLocator().locate())
}

extension SentenceEmbedder: TextEmbedding {
    public func embed(_ texts: [String]) throws -> [[Float]] { try embed(texts, batchSize: 16) }
}

extension PeriodicService {
    /// Embeds the texts the ingest queued (`dl_embedding_texts`) every second, off the ingest
    /// path: batches of `batchSize` until the queue is empty or `budget` has passed. An encoder
    /// that cannot be made, or that makes vectors of another dimension than the configured one,
    /// is reported once and the texts stay queued (the `embeddings` retention removes them).
    public static func textEmbedding(
        settings: PipelineConfiguration.EmbeddingSettings, store: AggregateStore,
        makeEmbedder: @escaping TextEmbedderFactory,
        logger: Logger, batchSize: Int = 16, budget: Duration = .seconds(5)
    ) -> PeriodicService {
        let embedder = Mutex<Result<any TextEmbedding, any Error>?>(nil)
        return PeriodicService(
            name: "text embedding", schedule: PeriodicSchedule(interval: .seconds(1), initialDelay: .seconds(1)),
            logger: logger
        ) {
            // Made on the first run, once: a failure is reported once and kept.
            let loaded = embedder.withLock { state -> Result<any TextEmbedding, any Error> in
                if let state { return state }
                let made = Result { () throws -> any TextEmbedding in
                    let made = try makeEmbedder()
                    BLASThreads.useOneUnlessConfigured()
                    guard made.dimension == settings.dimension else {
                        throw TextEmbeddingError(
                            "the sentence encoder makes vectors of \(made.dimension) elements, but "
                                + "drift.embeddings.dimension is \(settings.dimension)")
                    }
                    return made
                }
                if case .failure(let error) = made {
                    logger.error(
                        "drift.embeddings.encode_text: no sentence encoder; queued texts stay unembedded",
                        metadata: ["cause": "\(error)"])
                }
                state = made
                return made
            }
            guard case .success(let encoder) = loaded else { return }
            let started = ContinuousClock.now
            while ContinuousClock.now - started < budget {
                let taken = try await store.embedQueuedTexts(limit: batchSize, dimension: settings.dimension) {
                    try encoder.embed($0)
                }
                if taken < batchSize { return }
            }
        }
    }
}

/// Why the text encoder cannot serve the configuration.
struct TextEmbeddingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
