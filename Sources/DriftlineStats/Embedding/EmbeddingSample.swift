/// A checked sample of embedding vectors stored row after row in one array, with each row's squared
/// norm, so that a squared distance is `‖a‖² + ‖b‖² − 2 a·b`: one dot product per pair, the form
/// scikit-learn's `euclidean_distances` uses too.
struct EmbeddingSample: Sendable {
    let dimension: Int
    let count: Int
    /// Vector `i` is `values[i * dimension ..< (i + 1) * dimension]`.
    let values: [Double]
    let squaredNorms: [Double]

    /// Throws when a vector's length differs from `dimension` or an element is NaN or infinite;
    /// `name` (e.g. "reference") says which sample in the message.
    init<Element: BinaryFloatingPoint>(_ vectors: [[Element]], dimension: Int, name: String) throws {
        var values: [Double] = []
        values.reserveCapacity(vectors.count * dimension)
        var squaredNorms: [Double] = []
        squaredNorms.reserveCapacity(vectors.count)
        for (index, vector) in vectors.enumerated() {
            guard vector.count == dimension else {
                throw MaximumMeanDiscrepancyError(
                    .dimensionMismatch,
                    "\(name) vector \(index) (0-based) has \(vector.count) elements, expected \(dimension)"
                        + " like the first reference vector")
            }
            var norm = 0.0
            for element in vector {
                let value = Double(element)
                guard value.isFinite else {
                    throw MaximumMeanDiscrepancyError(
                        .nonFinite, "\(name) vector \(index) (0-based) has a NaN or infinite element")
                }
                values.append(value)
                norm += value * value
            }
            squaredNorms.append(norm)
        }
        self.dimension = dimension
        count = vectors.count
        self.values = values
        self.squaredNorms = squaredNorms
    }

    /// The rows of `first` followed by those of `second` (same dimension).
    init(concatenating first: EmbeddingSample, _ second: EmbeddingSample) {
        precondition(first.dimension == second.dimension, "concatenating samples of different dimensions")
        dimension = first.dimension
        count = first.count + second.count
        values = first.values + second.values
        squaredNorms = first.squaredNorms + second.squaredNorms
    }

    /// `‖xᵢ − yⱼ‖²` with `x` = self and `y` = `other`, clamped at 0 against rounding.
    func squaredDistance(_ i: Int, _ other: EmbeddingSample, _ j: Int) -> Double {
        let dot = values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                Self.dot(a.baseAddress! + i * dimension, b.baseAddress! + j * dimension, dimension)
            }
        }
        return Swift.max(squaredNorms[i] + other.squaredNorms[j] - 2 * dot, 0)
    }

    /// `Σ aₖ bₖ` over four running sums, so that the loop is not one long chain of dependent adds.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ length: Int) -> Double {
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var s3 = 0.0
        var k = 0
        while k + 4 <= length {
            s0 += a[k] * b[k]
            s1 += a[k + 1] * b[k + 1]
            s2 += a[k + 2] * b[k + 2]
            s3 += a[k + 3] * b[k + 3]
            k += 4
        }
        while k < length {
            s0 += a[k] * b[k]
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}
