/// A tensor's values in memory owned for the model's lifetime, so the forward pass hands raw
/// pointers to BLAS without copying or re-borrowing arrays on each call.
///
/// `@unchecked Sendable`: written once in `init`, read-only afterwards.
final class WeightBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: values.count) }
    }

    /// Rows laid one after another: several `Linear` weights fused into one GEMM operand.
    convenience init(concatenating parts: [[Float]]) {
        self.init(Array(parts.joined()))
    }

    var readOnly: UnsafePointer<Float> { UnsafePointer(pointer) }

    deinit { pointer.deallocate() }
}

extension SafetensorsFile {
    /// The tensor `name` with the given shape, loaded into a `WeightBuffer`.
    func buffer(_ name: String, shape: [Int]) throws(ModelError) -> WeightBuffer {
        WeightBuffer(try floats(name, shape: shape))
    }

    /// The first of `names` present in the file (checkpoints name LayerNorm parameters either
    /// `weight`/`bias` or, from TensorFlow conversions, `gamma`/`beta`).
    func firstPresent(_ names: String...) -> String {
        names.first { tensors[$0] != nil } ?? names[0]
    }
}
