/// Event counts per lookback window and group: the whole input of one burn-rate evaluation.
public struct WindowedEventCounts: Hashable, Sendable {
    public var byWindow: [Duration: [AlertGroup: EventCounts]]

    public init(_ byWindow: [Duration: [AlertGroup: EventCounts]] = [:]) {
        self.byWindow = byWindow
    }

    /// Zero when the window or the group is absent: no events.
    public subscript(window: Duration, group: AlertGroup) -> EventCounts {
        byWindow[window]?[group] ?? .zero
    }

    /// Every group seen in any window.
    public var groups: Set<AlertGroup> {
        Set(byWindow.values.flatMap(\.keys))
    }

    /// Every group seen in any of `windows`.
    public func groups(in windows: [Duration]) -> Set<AlertGroup> {
        Set(windows.flatMap { Array(byWindow[$0, default: [:]].keys) })
    }
}
