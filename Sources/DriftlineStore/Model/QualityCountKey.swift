import DriftlineStats

/// One stratum of the faithfulness sampling in one window and key (`dl_quality_counts`). The
/// rate is part of the key: a rate changed mid-window starts a row of its own, so every row's
/// events were sampled at its one rate.
public struct QualityCountKey: Hashable, Sendable, Comparable {
    public var window: WindowKey
    /// `base`, `feedback`, `finish_reason`, `new_version`, or `ineligible` (no response text or
    /// no grounding source; never sampled).
    public var stratum: String
    public var rate: Double

    public init(window: WindowKey, stratum: String, rate: Double) {
        self.window = window
        self.stratum = stratum
        self.rate = rate
    }

    public static func < (a: QualityCountKey, b: QualityCountKey) -> Bool {
        if a.window != b.window { return a.window < b.window }
        return (a.stratum, a.rate) < (b.stratum, b.rate)
    }
}

/// The events of a stratum, those sampled, and those sampled but shed before scoring, by reason.
public struct QualityCount: Hashable, Sendable {
    public var events: Int64
    public var sampled: Int64
    /// The scoring queue was full.
    public var shedQueueFull: Int64
    /// No scorer is running (it failed to load, or the pipeline is stopping).
    public var shedNoScorer: Int64
    /// Response and context longer than `quality.max_text_bytes`.
    public var shedTooLong: Int64

    public init(
        events: Int64 = 0, sampled: Int64 = 0, shedQueueFull: Int64 = 0, shedNoScorer: Int64 = 0,
        shedTooLong: Int64 = 0
    ) {
        self.events = events
        self.sampled = sampled
        self.shedQueueFull = shedQueueFull
        self.shedNoScorer = shedNoScorer
        self.shedTooLong = shedTooLong
    }

    public mutating func add(_ other: QualityCount) {
        events.saturatingAdd(other.events)
        sampled.saturatingAdd(other.sampled)
        shedQueueFull.saturatingAdd(other.shedQueueFull)
        shedNoScorer.saturatingAdd(other.shedNoScorer)
        shedTooLong.saturatingAdd(other.shedTooLong)
    }

    public var shed: Int64 { shedQueueFull &+ shedNoScorer &+ shedTooLong }
}
