import DriftlineModel
import Foundation

/// The reference model's speed: sentence embeddings per second at 128 tokens (batch 1 and 32),
/// the encoder's GEMM efficiency against OpenBLAS's own `sgemm` peak here, and tokenizer
/// throughput. Needs all-MiniLM-L6-v2 installed (scripts/install-deps.sh). OpenBLAS threads
/// spin while waiting: on a loaded machine `OPENBLAS_NUM_THREADS=1` is faster.
enum ModelBenchmarks {
    static func run() throws {
        let directory: URL
        do { directory = try ReferenceModelLocator().locate() } catch {
            print("model: skipped (\(error))")
            return
        }
        let embedder = try SentenceEmbedder(directory: directory)
        let peak = BLASProbe.sgemmGFLOPS()
        print(String(format: "model: OpenBLAS sgemm 1024³ peak %.1f GFLOP/s", peak))
        let text = String(
            repeating: "The quarterly report shows that revenue grew while costs fell sharply. ", count: 40)
        let input = embedder.tokenizer.encode(text, pair: nil, maxLength: 128)
        for batch in [1, 32] {
            let inputs = Array(repeating: input, count: batch)
            _ = try embedder.embed(inputs)
            let passes = batch == 1 ? 16 : 2
            let start = ContinuousClock.now
            let cpuStart = Self.processCPUSeconds()
            for _ in 0..<passes { _ = try embedder.embed(inputs) }
            let seconds = Self.seconds(ContinuousClock.now - start)
            let cpuSeconds = Self.processCPUSeconds() - cpuStart
            let embeddings = Double(passes * batch)
            let gflops =
                embedder.encoder.flops(lengths: Array(repeating: 128, count: batch)) * Double(passes) / seconds
                / 1e9
            print(
                String(
                    format:
                        "model: all-MiniLM-L6-v2, 128 tokens, batch %d: %.1f embeddings/s (%.2f ms each), %.1f GFLOP/s = %.0f%% of sgemm peak; %.1f embeddings per CPU-second",
                    batch, embeddings / seconds, seconds / embeddings * 1000, gflops, gflops / peak * 100,
                    embeddings / cpuSeconds))
        }
        let sentences = (0..<2_000).map {
            "Sample \($0): the café's naïve résumé cost €\($0 % 97).50 — 北京 visitors said it's “fine”, didn't they?"
        }
        tokenizerThroughput("WordPiece (MiniLM vocabulary)", embedder.tokenizer, sentences)
        let bpe = URL(fileURLWithPath: "Tests/DriftlineModelTests/Fixtures/bpe")
        if let tokenizer = try? ByteLevelBPETokenizer(directory: bpe) {
            tokenizerThroughput("byte-level BPE (3000-token test vocabulary)", tokenizer, sentences)
        }
    }

    static func tokenizerThroughput(_ label: String, _ tokenizer: any Tokenizer, _ sentences: [String]) {
        let start = ContinuousClock.now
        let cpuStart = Self.processCPUSeconds()
        var tokens = 0
        for sentence in sentences { tokens += tokenizer.tokenIds(sentence).count }
        let seconds = Self.seconds(ContinuousClock.now - start)
        let cpuSeconds = Self.processCPUSeconds() - cpuStart
        let bytes = sentences.reduce(0) { $0 + $1.utf8.count }
        print(
            String(
                format:
                    "model: tokenizer %@, 1 thread: %.0f tokens/s (%.2f MB/s of text); %.0f tokens per CPU-second",
                label, Double(tokens) / seconds, Double(bytes) / seconds / 1e6, Double(tokens) / cpuSeconds))
    }

    /// CPU time of the whole process (all threads): on a shared machine the wall-clock figures
    /// move with the neighbours' load, this one much less.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
