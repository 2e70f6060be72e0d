import DriftlineStats

/// The options of `driftline drift detect` as given on the command line, each nil when absent, and
/// the detector they make. An option the chosen detector does not take is an error rather than
/// ignored: someone passing `--clock` to Page-Hinkley believes it changed something.
public struct OfflineDetectorOptions: Sendable, Hashable {
    public var delta: Double?
    public var clock: Int?
    public var maxBuckets: Int?
    public var minWindowLength: Int?
    public var gracePeriod: Int?
    public var threshold: Double?
    public var minInstances: Int?
    public var alpha: Double?

    public init(
        delta: Double? = nil, clock: Int? = nil, maxBuckets: Int? = nil, minWindowLength: Int? = nil,
        gracePeriod: Int? = nil, threshold: Double? = nil, minInstances: Int? = nil, alpha: Double? = nil
    ) {
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
        self.threshold = threshold
        self.minInstances = minInstances
        self.alpha = alpha
    }

    /// The names `--detector` takes.
    public static let detectorNames = ["adwin", "page-hinkley"]

    /// The detector `name` with these options over River 0.26.1's defaults (the detectors'
    /// `Configuration` defaults). Throws naming the options that do not apply, or the option whose
    /// value is out of range.
    public func detector(named name: String) throws -> OfflineDriftDetector {
        switch name {
        case "adwin":
            try refuse(
                ["--threshold": threshold != nil, "--min-instances": minInstances != nil, "--alpha": alpha != nil],
                for: name)
            let defaults = ADWIN.Configuration.default
            return .adwin(
                try Self.checked {
                    try ADWIN.Configuration(
                        delta: delta ?? defaults.delta, clock: clock ?? defaults.clock,
                        maxBuckets: maxBuckets ?? defaults.maxBuckets,
                        minWindowLength: minWindowLength ?? defaults.minWindowLength,
                        gracePeriod: gracePeriod ?? defaults.gracePeriod)
                })
        case "page-hinkley":
            try refuse(
                [
                    "--clock": clock != nil, "--max-buckets": maxBuckets != nil,
                    "--min-window-length": minWindowLength != nil, "--grace-period": gracePeriod != nil,
                ], for: name)
            let defaults = PageHinkley.Configuration.default
            return .pageHinkley(
                try Self.checked {
                    try PageHinkley.Configuration(
                        minInstances: minInstances ?? defaults.minInstances, delta: delta ?? defaults.delta,
                        threshold: threshold ?? defaults.threshold, alpha: alpha ?? defaults.alpha,
                        mode: defaults.mode)
                })
        default:
            throw DriftToolError(
                .badOption,
                "--detector: expected \(Self.detectorNames.joined(separator: " or ")), got \"\(name)\"")
        }
    }

    private func refuse(_ options: [String: Bool], for detector: String) throws {
        let given = options.filter(\.value).keys.sorted()
        guard given.isEmpty else {
            throw DriftToolError(
                .badOption,
                "\(given.joined(separator: ", ")) \(given.count == 1 ? "does" : "do") not apply to \(detector)")
        }
    }

    /// The configuration `make` builds, its range errors named as the command-line option.
    private static func checked<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as DriftDetectorConfigurationError {
            let option = "--" + error.parameter.replacingUnderscores()
            throw DriftToolError(.badOption, "\(option): expected \(error.expected), got \(error.value)")
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
