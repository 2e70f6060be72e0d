/// The Page-Hinkley test (Page, "Continuous Inspection Schemes", Biometrika 41, 1954), a CUSUM on
/// the deviations from the running mean, with a forgetting factor on the cumulative sums.
///
/// The semantics are those of River 0.26.1's `river.drift.PageHinkley` (same parameters, defaults
/// and order of operations, so the detection indices on identical input are River's):
/// `mean` is the running mean including the new value, `dev = x − mean`,
/// `S⁺ = α·S⁺ + dev − δ` and `S⁻ = α·S⁻ + dev + δ`, with `m⁺ = min S⁺` (from +∞) and
/// `M⁻ = max S⁻` (from −1, as River starts it). From the `minInstances`-th value on, a drift is
/// `S⁺ − m⁺ > λ` (mode up), `M⁻ − S⁻ > λ` (mode down) or either (both). The update after a
/// detection starts from an empty detector, as in River.
///
/// Non-finite values are ignored (no change), as in `ADWIN`.
public struct PageHinkley: Sendable, Hashable {
    /// Which direction of change of the mean is reported.
    public enum Mode: UInt8, Sendable, Hashable, CaseIterable {
        case up = 1
        case down = 2
        case both = 3

        /// River's spelling: "up", "down", "both".
        public var name: String {
            switch self {
            case .up: "up"
            case .down: "down"
            case .both: "both"
            }
        }

        /// The mode River spells `name`; nil for any other text.
        public init?(name: String) {
            guard let mode = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = mode
        }
    }

    public struct Configuration: Sendable, Hashable {
        /// Values seen before a drift can be reported (≥ 1).
        public let minInstances: Int
        /// Magnitude of change tolerated, δ (finite, ≥ 0).
        public let delta: Double
        /// Detection threshold λ (finite, > 0).
        public let threshold: Double
        /// Forgetting factor α of the cumulative sums, in (0, 1].
        public let alpha: Double
        public let mode: Mode

        /// River 0.26.1's defaults: 30 instances, δ 0.005, λ 50, α 1 − 0.0001, both directions.
        public static let `default` = Configuration(
            unchecked: 30, delta: 0.005, threshold: 50, alpha: 1 - 0.0001, mode: .both)

        public init(
            minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001,
            mode: Mode = .both
        ) throws {
            guard (1...Int(Int32.max)).contains(minInstances) else {
                throw DriftDetectorConfigurationError(
                    parameter: "min_instances", value: "\(minInstances)", expected: "an integer of at least 1")
            }
            guard delta.isFinite, delta >= 0 else {
                throw DriftDetectorConfigurationError(
                    parameter: "delta", value: "\(delta)", expected: "a finite number ≥ 0")
            }
            guard threshold.isFinite, threshold > 0 else {
                throw DriftDetectorConfigurationError(
                    parameter: "threshold", value: "\(threshold)", expected: "a finite number > 0")
            }
            guard alpha > 0, alpha <= 1 else {
                throw DriftDetectorConfigurationError(
                    parameter: "alpha", value: "\(alpha)", expected: "a number in (0, 1]")
            }
            self.init(unchecked: minInstances, delta: delta, threshold: threshold, alpha: alpha, mode: mode)
        }

        init(unchecked minInstances: Int, delta: Double, threshold: Double, alpha: Double, mode: Mode) {
            self.minInstances = minInstances
            self.delta = delta
            self.threshold = threshold
            self.alpha = alpha
            self.mode = mode
        }
    }

    public let configuration: Configuration

    /// Whether the last update reported a drift. The next update starts from an empty detector.
    public internal(set) var driftDetected = false

    /// Values since the last reset, a Double as River's `stats.Mean.n`.
    var seen: Double = 0
    /// Running mean of the values since the last reset.
    public internal(set) var mean: Double = 0
    var sumIncrease: Double = 0
    var sumDecrease: Double = 0
    var minIncrease: Double = .infinity
    var maxDecrease: Double = -1

    public init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    /// Values since the last reset (the one the detection was found on included).
    public var count: Int { Int(seen) }

    /// Adds `value`; returns `driftDetected`, or false without any change for NaN or infinity.
    @discardableResult
    public mutating func update(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if driftDetected {
            self = PageHinkley(configuration: configuration)
        }
        // River's stats.Mean: mean += (w / n) · (x − mean) with weight 1.
        seen += 1
        mean += (1 / seen) * (value - mean)
        let deviation = value - mean
        sumIncrease = configuration.alpha * sumIncrease + deviation - configuration.delta
        sumDecrease = configuration.alpha * sumDecrease + deviation + configuration.delta
        if sumIncrease < minIncrease { minIncrease = sumIncrease }
        if sumDecrease > maxDecrease { maxDecrease = sumDecrease }
        if seen >= Double(configuration.minInstances) {
            let increase = sumIncrease - minIncrease > configuration.threshold
            let decrease = maxDecrease - sumDecrease > configuration.threshold
            switch configuration.mode {
            case .up: driftDetected = increase
            case .down: driftDetected = decrease
            case .both: driftDetected = increase || decrease
            }
        }
        return driftDetected
    }
}
