import COpenBLAS
import Foundation

extension TransformerEncoder {
    /// Floating-point operations of one forward pass over sequences of these lengths, counting a
    /// multiply-add as two: per layer and token the four projections and the feed-forward
    /// (`2·(4H² + 2·H·I)`), plus `4·T·H` for the scores and the weighted sum of a `T`-token sequence.
    public func flops(lengths: [Int]) -> Double {
        let h = Double(configuration.hiddenSize)
        let intermediate = Double(configuration.intermediateSize)
        var total = 0.0
        for length in lengths {
            let t = Double(length)
            total += t * 2 * (4 * h * h + 2 * h * intermediate) + 4 * t * t * h
        }
        return total * Double(configuration.numHiddenLayers)
    }
}

/// Measures what OpenBLAS's `sgemm` reaches on this machine, as the ceiling the encoder's GEMM
/// efficiency is reported against.
public enum BLASProbe {
    /// GFLOP/s of `C = A·B` on square `size`×`size` matrices, best of `repetitions`.
    public static func sgemmGFLOPS(size: Int = 1024, repetitions: Int = 5) -> Double {
        let a = [Float](repeating: 0.5, count: size * size)
        let b = [Float](repeating: 0.25, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = ContinuousClock.now
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(size), Int32(size), Int32(size), 1, a, Int32(size), b,
                Int32(size), 0, &c, Int32(size))
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return 2 * Double(size * size * size) / best / 1e9
    }
}

/// OpenBLAS's own threads. The encoder's matrices are small (a 256-position window against
/// 384 × 384 or 384 × 1536 weights): OpenBLAS's thread pool costs more than it gains there. On
/// this 2-core machine one thread scored 12.4 examples/s where OpenBLAS's default of one thread
/// per core scored 10.1, at 12.2 against 7.8 examples per CPU-second (Benchmarks/README.md);
/// concurrency belongs to the scoring workers instead.
public enum BLASThreads {
    /// Sets OpenBLAS to one thread, unless `OPENBLAS_NUM_THREADS` says otherwise (an operator's
    /// choice wins). Returns the number of threads OpenBLAS now uses.
    @discardableResult
    public static func useOneUnlessConfigured(environment: [String: String]? = nil) -> Int {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if environment["OPENBLAS_NUM_THREADS"] == nil && environment["OMP_NUM_THREADS"] == nil {
            openblas_set_num_threads(1)
        }
        return Int(openblas_get_num_threads())
    }
}
