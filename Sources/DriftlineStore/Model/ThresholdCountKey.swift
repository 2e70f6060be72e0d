import DriftlineStats

/// One latency threshold an SLO declares (`ttft_at_or_below_ms(1500)`), in one window and key.
public struct ThresholdCountKey: Hashable, Sendable, Comparable {
    public var window: WindowKey
    /// `ttft`, `tpot` or `e2e`.
    public var metric: String
    public var thresholdMilliseconds: Double

    public init(window: WindowKey, metric: String, thresholdMilliseconds: Double) {
        self.window = window
        self.metric = metric
        self.thresholdMilliseconds = thresholdMilliseconds
    }

    public static func < (a: ThresholdCountKey, b: ThresholdCountKey) -> Bool {
        if a.window != b.window { return a.window < b.window }
        return (a.metric, a.thresholdMilliseconds) < (b.metric, b.thresholdMilliseconds)
    }
}

/// Events with the latency measured, and those of them at or below the threshold.
public struct ThresholdCount: Hashable, Sendable {
    public var measured: Int64
    public var atOrBelow: Int64

    public init(measured: Int64 = 0, atOrBelow: Int64 = 0) {
        self.measured = measured
        self.atOrBelow = atOrBelow
    }

    public mutating func add(_ other: ThresholdCount) {
        measured.saturatingAdd(other.measured)
        atOrBelow.saturatingAdd(other.atOrBelow)
    }
}
