/// How far a distribution moved, read from its PSI.
public enum PSISeverity: String, Sendable, Hashable, CaseIterable, Codable {
    case stable
    case minor
    case major
}

/// The PSI values at which a shift becomes minor and major. The defaults are the customary rule of
/// thumb from credit scoring (Siddiqi, "Credit Risk Scorecards", 2006, ch. 8; also Yurdakul 2018):
/// below 0.1 stable, 0.1 up to 0.2 minor, 0.2 and above major.
public struct PSIThresholds: Sendable, Hashable, Codable {
    public let minor: Double
    public let major: Double

    public static let `default` = PSIThresholds(unchecked: 0.1, major: 0.2)

    /// Throws unless `0 < minor <= major` and both are finite.
    public init(minor: Double, major: Double) throws {
        guard minor.isFinite, major.isFinite, minor > 0, minor <= major else {
            throw PSIThresholdsError(minor: minor, major: major)
        }
        self.init(unchecked: minor, major: major)
    }

    private init(unchecked minor: Double, major: Double) {
        self.minor = minor
        self.major = major
    }

    public func severity(of psi: Double) -> PSISeverity {
        if psi >= major { return .major }
        if psi >= minor { return .minor }
        return .stable
    }
}

/// PSI thresholds that are not `0 < minor <= major`.
public struct PSIThresholdsError: Error, Hashable, CustomStringConvertible {
    public var minor: Double
    public var major: Double

    public var description: String {
        "PSI thresholds minor \(minor) and major \(major): expected finite numbers with 0 < minor <= major"
    }
}
