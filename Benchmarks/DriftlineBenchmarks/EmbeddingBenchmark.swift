import DriftlineCore
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import Foundation

/// `--embeddings`: the embedding-centroid analyser alone — `add` of 384-dimensional vectors into
/// per-window sums and bottom-k samples, and `take` at each flush — then the same rows written to
/// PostgreSQL (`DATABASE_URL` or a throwaway server) as flushes write them.
enum EmbeddingBenchmark {
    static func run(vectors count: Int, dimension: Int = 384) async throws {
        var random = SplitMix64(seed: 4)
        let pool = (0..<4_096).map { _ in (0..<dimension).map { _ in Float(random.normal()) } }
        let models = ["gpt-4o", "gpt-4o-mini", "o3-mini", "claude-sonnet-4", "gemini-2.5-flash", "llama-3.1-70b"]
        // Events 100 µs apart (10 k/s of event time): a one-minute window per 600 k events.
        let events = (0..<count).map { index -> LLMEvent in
            let start = EventTime(microsecondsSinceEpoch: 1_764_072_000_000_000 + Int64(index) * 100)
            var event = LLMEvent(
                requestID: "req-\(index)", start: start, end: start, model: models[index % models.count])
            event.embedding = pool[index % pool.count]
            return event
        }
        let settings = PipelineConfiguration.EmbeddingSettings(dimension: dimension)
        var analyser = EmbeddingCentroidAnalyser(windowSeconds: 60, settings: settings)
        let partition = SourcePartition(topic: "bench", partition: 0)
        let flushEvery = 20_000
        var batches: [EmbeddingRows] = []
        let start = ContinuousClock.now
        for (index, event) in events.enumerated() {
            analyser.add(EnrichedEvent(event), from: partition)
            if (index + 1) % flushEvery == 0 { batches.append(analyser.take()) }
        }
        batches.append(analyser.take())
        let elapsed = seconds(ContinuousClock.now - start)
        print(
            String(
                format:
                    "embedding analyser, %d dims, 1 thread: %.2f M vectors/s through add + take (%.0f ns/vector; %d vectors, sample %d per window and model, a flush every %d)",
                dimension, Double(count) / elapsed / 1e6, elapsed / Double(count) * 1e9, count, settings.sampleSize,
                flushEvery))

        let flushed = batches
        try await BenchmarkDatabase.withMigrated { client, logger in
            let store = AggregateStore(client: client, logger: logger)
            let writeStart = ContinuousClock.now
            for rows in flushed {
                _ = try await store.write(FlushBatch(consumerGroup: "bench", offsets: [], rows: [rows]))
            }
            let writeSeconds = seconds(ContinuousClock.now - writeStart)
            let rows = flushed.reduce(0) { $0 + $1.sums.count }
            let samples = flushed.reduce(0) { total, batch in total + batch.samples.values.reduce(0) { $0 + $1.count } }
            print(
                String(
                    format:
                        "embedding rows to PostgreSQL: %d flushes, %d sum rows, %d sampled vectors in %.2f s (%.1f ms a flush; %.2f M vectors/s of input)",
                    flushed.count, rows, samples, writeSeconds, writeSeconds / Double(flushed.count) * 1e3,
                    Double(count) / writeSeconds / 1e6))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
