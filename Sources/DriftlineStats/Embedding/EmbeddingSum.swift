/// The count and element-wise sum of the embedding vectors of one period (a window and grouping),
/// so that its centroid is `sum / count` and periods merge by adding: the sum of any set of
/// windows is the sum of the union of their vectors, up to floating-point rounding.
///
/// Precision: embeddings arrive as `Float` and are accumulated in `Double`. A float has a 24-bit
/// significand and a double 53, so adding up to 2²⁹ unit-scale vectors rounds no more than
/// summing them exactly would, and the result hardly depends on the order of the windows merged —
/// which lets several consumers and late events write the same window. Float accumulation would
/// lose about 7 digits after 10⁷ vectors.
///
/// A vector of the wrong dimension or with a NaN or infinite element is refused whole (the
/// pipeline sends it to the dead letters); it never enters a centroid.
public struct EmbeddingSum: Sendable, Hashable {
    public let dimension: Int
    public private(set) var count: Int64 = 0
    public private(set) var sum: [Double]

    /// An empty sum of `dimension`-dimensional vectors (`dimension` ≥ 1).
    public init(dimension: Int) throws {
        guard dimension >= 1 else {
            throw EmbeddingSumError(.invalidParts, "dimension \(dimension), expected at least 1")
        }
        self.dimension = dimension
        sum = [Double](repeating: 0, count: dimension)
    }

    /// Rebuilds a stored sum; throws when the parts cannot come from one.
    public init(count: Int64, sum: [Double]) throws {
        guard !sum.isEmpty, count >= 0, sum.allSatisfy(\.isFinite), count > 0 || sum.allSatisfy({ $0 == 0 }) else {
            throw EmbeddingSumError(
                .invalidParts,
                "count \(count) with a \(sum.count)-element sum: expected a non-negative count, at least one"
                    + " finite element, and zeros when the count is 0")
        }
        dimension = sum.count
        self.count = count
        self.sum = sum
    }

    public var isEmpty: Bool { count == 0 }

    /// `sum / count`, nil when no vector was added.
    public var centroid: [Double]? {
        guard count > 0 else { return nil }
        let n = Double(count)
        return sum.map { $0 / n }
    }

    /// Adds one vector; throws, changing nothing, when its dimension differs or an element is NaN or
    /// infinite.
    public mutating func add(_ vector: [Float]) throws {
        try check(vector.count, allFinite: vector.allSatisfy(\.isFinite))
        sum.withUnsafeMutableBufferPointer { total in
            vector.withUnsafeBufferPointer { v in
                for i in 0..<total.count { total[i] += Double(v[i]) }
            }
        }
        count += 1
    }

    /// Adds one vector given in doubles (see `add(_:)` for floats).
    public mutating func add(_ vector: [Double]) throws {
        try check(vector.count, allFinite: vector.allSatisfy(\.isFinite))
        sum.withUnsafeMutableBufferPointer { total in
            vector.withUnsafeBufferPointer { v in
                for i in 0..<total.count { total[i] += v[i] }
            }
        }
        count += 1
    }

    /// Adds another period's vectors; throws when the dimensions differ.
    public mutating func merge(_ other: EmbeddingSum) throws {
        guard other.dimension == dimension else {
            throw EmbeddingSumError(
                .dimensionMismatch, "cannot merge \(other.dimension)-dimensional sums into \(dimension)-dimensional")
        }
        for i in sum.indices { sum[i] += other.sum[i] }
        count += other.count
    }

    private func check(_ length: Int, allFinite: Bool) throws {
        guard length == dimension else {
            throw EmbeddingSumError(
                .dimensionMismatch, "a \(length)-dimensional vector in \(dimension)-dimensional embeddings")
        }
        guard allFinite else {
            throw EmbeddingSumError(.nonFinite, "the vector has a NaN or infinite element")
        }
        guard count < Int64.max else {
            throw EmbeddingSumError(.invalidParts, "the vector count would overflow")
        }
    }
}

/// A vector or stored sum refused by `EmbeddingSum`.
public struct EmbeddingSumError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The vector's length is not the configured dimension.
        public static let dimensionMismatch = Code("dimensionMismatch")
        /// An element is NaN or infinite.
        public static let nonFinite = Code("nonFinite")
        /// A stored count and sum that no sequence of vectors gives.
        public static let invalidParts = Code("invalidParts")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "EmbeddingSumError.\(code): \(message)" }
}
