/// How the values were put into bins before the PSI was computed.
public enum PSIBinning: String, Sendable, Hashable, CaseIterable, Codable {
    case quantile
    case sturges
    case categorical
}

/// A PSI value with the bins it was computed over.
public struct PSIResult: Sendable, Hashable {
    /// One bin and the share of each distribution in it, after the empty-bin fill.
    public struct Bin: Sendable, Hashable {
        public enum Range: Sendable, Hashable {
            /// Values from `lower` to `upper`; which ends are included depends on the binning
            /// (quantile: `(lower, upper]`; sturges: `[lower, upper)`, the last bin `[lower, upper]`).
            case interval(lower: Double, upper: Double)
            case category(String)
        }

        public var range: Range
        public var referenceShare: Double
        public var currentShare: Double

        public init(range: Range, referenceShare: Double, currentShare: Double) {
            self.range = range
            self.referenceShare = referenceShare
            self.currentShare = currentShare
        }
    }

    public var binning: PSIBinning
    public var value: Double
    public var bins: [Bin]

    public init(binning: PSIBinning, value: Double, bins: [Bin]) {
        self.binning = binning
        self.value = value
        self.bins = bins
    }

    public func severity(_ thresholds: PSIThresholds = .default) -> PSISeverity {
        thresholds.severity(of: value)
    }
}
