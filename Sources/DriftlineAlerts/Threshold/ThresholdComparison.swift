/// How a threshold rule compares the metric with its threshold; written `>`, `>=`, `<`, `<=`.
public enum ThresholdComparison: String, Hashable, Sendable, CaseIterable {
    case above = ">"
    case atOrAbove = ">="
    case below = "<"
    case atOrBelow = "<="

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .above: value > threshold
        case .atOrAbove: value >= threshold
        case .below: value < threshold
        case .atOrBelow: value <= threshold
        }
    }
}
