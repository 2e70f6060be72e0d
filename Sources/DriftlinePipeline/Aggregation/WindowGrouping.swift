public import DriftlineCore
public import DriftlineStore

/// How events are grouped into rows: the window length and the configured dimensions and labels
/// (which `Dimension`s split the rows); builds the window key of an event.
public struct WindowGrouping: Sendable, Equatable {
    public let windowSeconds: Int64
    /// The dimensions that split the rows, each once, in `Dimension.allCases` order.
    let dimensions: [Dimension]
    /// Label keys, sorted, so the labels JSON is canonical.
    let labels: [String]

    public init(windowSeconds: Int, dimensions: [Dimension], labels: [String]) {
        self.windowSeconds = Int64(windowSeconds)
        let chosen = Set(dimensions)
        self.dimensions = Dimension.allCases.filter(chosen.contains)
        self.labels = Array(Set(labels)).sorted()
    }

    public init(_ settings: PipelineConfiguration.AggregationSettings) {
        self.init(windowSeconds: settings.windowSeconds, dimensions: settings.dimensions, labels: settings.labels)
    }

    /// Start of the tumbling window holding `time`, in seconds since the epoch (floor division,
    /// so times before 1970 land in the right window too).
    @inlinable
    public func windowStart(of time: EventTime) -> Int64 {
        let seconds =
            time.microsecondsSinceEpoch >= 0
            ? time.microsecondsSinceEpoch / 1_000_000 : -((-time.microsecondsSinceEpoch + 999_999) / 1_000_000)
        let remainder = seconds % windowSeconds
        return seconds - (remainder < 0 ? remainder + windowSeconds : remainder)
    }

    /// Events are assigned to windows by their start time: the moment the request was made.
    public func key(for event: LLMEvent) -> WindowKey {
        var key = WindowKey(
            windowStart: windowStart(of: event.start), windowSeconds: Int32(windowSeconds),
            labelsJSON: labels.isEmpty ? "{}" : labelsJSON(event.dimensions.labels))
        for dimension in dimensions { key[dimension] = dimension.value(of: event) }
        return key
    }

    private func labelsJSON(_ values: [String: String]) -> String {
        var text = "{"
        var first = true
        for key in labels {
            guard let value = values[key] else { continue }
            if !first { text += "," }
            first = false
            text += AggregateStore.jsonString(key) + ":" + AggregateStore.jsonString(value)
        }
        return text + "}"
    }
}
