/// Embedding samples, or a permutation count, that `MaximumMeanDiscrepancy` cannot work with.
public struct MaximumMeanDiscrepancyError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A vector's length differs from the first reference vector's.
        public static let dimensionMismatch = Code("dimensionMismatch")
        /// A vector has a NaN or infinite element.
        public static let nonFinite = Code("nonFinite")
        /// A sample has fewer than two vectors, or its vectors have no element: the unbiased
        /// estimator divides by `m (m − 1)`.
        public static let tooFewVectors = Code("tooFewVectors")
        /// The median reference–current distance is 0 (more than half of the pairs are identical
        /// vectors), so the median heuristic gives no bandwidth; Evidently returns NaN here.
        public static let degenerateBandwidth = Code("degenerateBandwidth")
        /// A permutation test asked for fewer than one permutation.
        public static let invalidPermutationCount = Code("invalidPermutationCount")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "MaximumMeanDiscrepancyError.\(code): \(message)" }
}
