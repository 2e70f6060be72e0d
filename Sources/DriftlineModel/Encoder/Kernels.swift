import COpenBLAS

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The numeric kernels of the forward pass, on row-major `Float` buffers. Matrix products go
/// through OpenBLAS; the element-wise loops are written over unsafe buffers so the compiler
/// vectorises them.
enum Kernels {
    /// `C[m×n] = A[m×k] · Wᵀ + bias`, with `W` stored `[n×k]` as a PyTorch `Linear` weight.
    static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inFeatures: Int, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, outFeatures: Int, into output: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows { (output + row * outFeatures).update(from: bias, count: outFeatures) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures), 1, input,
            Int32(inFeatures), weight, Int32(inFeatures), 1, output, Int32(outFeatures))
    }

    /// Layer normalisation of each row of `[rows×width]` in place (Ba et al. 2016, eq. 4), with
    /// the biased variance as `torch.nn.LayerNorm` computes it.
    static func layerNorm(
        _ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, gamma: UnsafePointer<Float>,
        beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let scale = 1 / Float(width)
        for row in 0..<rows {
            let x = values + row * width
            var sum: Float = 0
            for i in 0..<width { sum += x[i] }
            let mean = sum * scale
            var squares: Float = 0
            for i in 0..<width {
                let d = x[i] - mean
                squares += d * d
            }
            let inverse = 1 / (squares * scale + epsilon).squareRoot()
            for i in 0..<width { x[i] = (x[i] - mean) * inverse * gamma[i] + beta[i] }
        }
    }

    /// `x · Φ(x)` with the exact normal CDF, `0.5 · x · (1 + erf(x / √2))` (Hendrycks & Gimpel
    /// 2016; Hugging Face's "gelu").
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRoot2: Float = 0.707_106_781_186_547_5
        for i in 0..<count {
            let x = values[i]
            values[i] = 0.5 * x * (1 + erff(x * inverseRoot2))
        }
    }

    /// Softmax of each row of `[rows×width]` in place, shifted by the row maximum for range.
    static func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let x = values + row * width
            var maximum = -Float.infinity
            for i in 0..<width { maximum = max(maximum, x[i]) }
            var sum: Float = 0
            for i in 0..<width {
                let e = expf(x[i] - maximum)
                x[i] = e
                sum += e
            }
            let inverse = 1 / sum
            for i in 0..<width { x[i] *= inverse }
        }
    }

    /// `x += y`, element-wise.
    static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }
}

extension Kernels {
    /// Scaled dot-product attention of one head over one sequence (Vaswani et al. 2017, eq. 1):
    /// `softmax(Q·Kᵀ · scale) · V`, with `Q`, `K`, `V` and the output strided views of wider rows.
    static func attention(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>, stride: Int,
        length: Int, headSize: Int, scale: Float, scores: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        let n = Int32(length)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(headSize), scale, query, Int32(stride), key,
            Int32(stride), 0, scores, n)
        softmaxRows(scores, rows: length, width: length)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(headSize), n, 1, scores, n, value, Int32(stride), 0,
            output, Int32(outputStride))
    }
}
