public import DriftlineStats

/// A drift detector run over a whole exported series, as `driftline drift detect` runs it: the
/// pipeline's own `ADWIN` or `PageHinkley`, fed one value after another.
public enum OfflineDriftDetector: Sendable, Hashable {
    case adwin(ADWIN.Configuration)
    case pageHinkley(PageHinkley.Configuration)

    /// The 0-based index of every update after which the detector reports a drift — River's
    /// convention (`drift_detected` read after `update`), so the indices are River's on the same
    /// series.
    public func detectionIndices(in values: [Double]) -> [Int] {
        var indices: [Int] = []
        switch self {
        case .adwin(let configuration):
            var detector = ADWIN(configuration: configuration)
            for (index, value) in values.enumerated() where detector.update(value) { indices.append(index) }
        case .pageHinkley(let configuration):
            var detector = PageHinkley(configuration: configuration)
            for (index, value) in values.enumerated() where detector.update(value) { indices.append(index) }
        }
        return indices
    }
}
