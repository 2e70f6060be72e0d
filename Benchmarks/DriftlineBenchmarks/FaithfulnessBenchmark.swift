import DriftlineModel
import Foundation
import Synchronization

/// Faithfulness scoring speed with the shipped model: examples scored per second when the
/// context is one full 256-position window (254 word pieces) and the response two sentences,
/// one example at a time as the scoring service calls the scorer; and the encoder's GEMM
/// efficiency on the same windows against OpenBLAS's own `sgemm` peak on this machine; then
/// `workers` threads scoring at once, as `quality.workers` runs the scoring service (run with
/// `OPENBLAS_NUM_THREADS=1`, so the concurrency is the workers', not OpenBLAS's).
enum FaithfulnessBenchmark {
    static func run(seconds budget: Double, workers: Int) throws {
        let scorer: ReferenceFaithfulnessScorer
        do { scorer = try ReferenceFaithfulnessScorer() } catch {
            print("faithfulness: skipped (\(error))")
            return
        }
        let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "OpenBLAS default"
        print(
            "faithfulness: \(scorer.name), \(scorer.settings.layerCount) of \(scorer.encoder.configuration.numHiddenLayers) layers, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores, OPENBLAS_NUM_THREADS=\(threads)")
        let peak = BLASProbe.sgemmGFLOPS()
        print(String(format: "faithfulness: OpenBLAS sgemm 1024³ peak %.1f GFLOP/s", peak))
        let sentences = [
            "The regional transport authority announced on Monday that the northern rail line will close for repairs.",
            "Engineers found cracks in two bridges built in 1962, and the work is expected to take eleven weeks.",
            "About 40,000 commuters use the line every weekday, according to figures published last year.",
            "Replacement buses will run every ten minutes between the four affected stations.",
            "The authority's chief executive, Maria Lindqvist, apologised for the disruption.",
            "Local businesses near the stations said they feared a drop in customers during the closure.",
            "A spokesperson said the repairs would cost about 18 million pounds, paid from the maintenance budget.",
            "Trade unions welcomed the repairs but asked for more staff at the bus stops.",
        ]
        var context = ""
        var index = 0
        while scorer.tokenizer.tokenIds(context + " " + sentences[index % sentences.count]).count <= 254 {
            context += (context.isEmpty ? "" : " ") + sentences[index % sentences.count]
            index += 1
        }
        // Fill the window to exactly 254 word pieces with words of the next sentence.
        for word in sentences[index % sentences.count].split(separator: " ") {
            guard scorer.tokenizer.tokenIds(context + " " + word).count <= 254 else { break }
            context += " " + word
        }
        let responses = [
            "The northern rail line will close for eleven weeks of bridge repairs. Buses will replace the trains.",
            "The northern rail line will close for nine weeks. The repairs will cost 30 million pounds.",
        ]
        let contextTokens = scorer.tokenizer.tokenIds(context).count
        let responseTokens = responses.map { scorer.tokenizer.tokenIds($0).count }
        print(
            "faithfulness: context \(contextTokens) word pieces (+2 special), responses \(responseTokens) word pieces")
        for response in responses { _ = try scorer.score(response: response, context: [context]) }
        var latencies: [Double] = []
        let start = ContinuousClock.now
        let cpuStart = ModelBenchmarks.processCPUSeconds()
        while ModelBenchmarks.seconds(ContinuousClock.now - start) < budget || latencies.count < 20 {
            let exampleStart = ContinuousClock.now
            _ = try scorer.score(response: responses[latencies.count % 2], context: [context])
            latencies.append(ModelBenchmarks.seconds(ContinuousClock.now - exampleStart))
        }
        let wall = ModelBenchmarks.seconds(ContinuousClock.now - start)
        let cpu = ModelBenchmarks.processCPUSeconds() - cpuStart
        latencies.sort()
        let rate = Double(latencies.count) / wall
        print(
            String(
                format:
                    "faithfulness: %.1f examples/s scored one at a time (%d examples in %.1f s; p50 %.1f ms, p99 %.1f ms); %.1f examples per CPU-second",
                rate, latencies.count, wall, latencies[latencies.count / 2] * 1000,
                latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))] * 1000,
                Double(latencies.count) / cpu))

        if workers > 1 {
            let window = context
            let scored = Mutex(0)
            let concurrentStart = ContinuousClock.now
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while ModelBenchmarks.seconds(ContinuousClock.now - concurrentStart) < budget {
                    _ = try? scorer.score(response: responses[index % 2], context: [window])
                    index += 1
                    scored.withLock { $0 += 1 }
                }
            }
            let elapsed = ModelBenchmarks.seconds(ContinuousClock.now - concurrentStart)
            print(
                String(
                    format: "faithfulness: %.1f examples/s with %d workers scoring at once (%d examples in %.1f s)",
                    Double(scored.withLock { $0 }) / elapsed, workers, scored.withLock { $0 }, elapsed))
        }

        // The encoder alone on the same two windows per example, to split model time from the rest.
        let layerShare = Double(scorer.settings.layerCount) / Double(scorer.encoder.configuration.numHiddenLayers)
        let inputs = [
            scorer.tokenizer.encode(context, pair: nil, maxLength: 256),
            scorer.tokenizer.encode(responses[0], pair: nil, maxLength: 256),
        ]
        let flops = scorer.encoder.flops(lengths: inputs.map(\.count)) * layerShare
        var passes = 0
        let encoderStart = ContinuousClock.now
        while ModelBenchmarks.seconds(ContinuousClock.now - encoderStart) < budget / 2 || passes < 10 {
            _ = try scorer.encoder.hiddenStates(inputs, layerCount: scorer.settings.layerCount)
            passes += 1
        }
        let encoderSeconds = ModelBenchmarks.seconds(ContinuousClock.now - encoderStart) / Double(passes)
        let gflops = flops / encoderSeconds / 1e9
        print(
            String(
                format:
                    "faithfulness: encoder forward pass %.1f ms per example (%.2f GFLOP), %.1f GFLOP/s = %.0f%% of sgemm peak; encoder share of scoring time %.0f%%",
                encoderSeconds * 1000, flops / 1e9, gflops, gflops / peak * 100, encoderSeconds * rate * 100))
    }
}
