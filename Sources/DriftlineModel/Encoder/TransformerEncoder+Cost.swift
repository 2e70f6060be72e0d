import COpenBLAS

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
