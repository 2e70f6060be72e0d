/// One multiwindow burn-rate alert condition: fire when both the long and the short window burn the error budget
/// faster than ``factor(period:)``.
///
/// The tier is stated as the share of the period's error budget it tolerates losing within its long window, so
/// the factor follows from the SLO period (SRE workbook, "Alerting on SLOs", recommendation 6):
///
///     factor = budgetFraction × period / longWindow
///
/// For a 30-day period the default tiers give the workbook's 14.4 (2 % in 1 h), 6 (5 % in 6 h), 3 (10 % in 1 d)
/// and 1 (10 % in 3 d); for 28 days the same fractions give 13.44, 5.6, 2.8 and 0.933.
/// The short window (1/12 of the long one in the workbook) only makes the alert stop soon after the burn stops.
public struct BurnRateTier: Hashable, Sendable {
    /// Stable name, written into the `burn_tier` label (e.g. `page-1h`), so receivers can inhibit the slower tier
    /// of a severity while the faster one fires.
    public let name: String
    public let severity: AlertSeverity
    /// Share of the period's error budget that, spent within `longWindow`, fires this tier (0 < f ≤ 1).
    public let budgetFraction: Double
    public let longWindow: Duration
    public let shortWindow: Duration

    public init(
        name: String, severity: AlertSeverity, budgetFraction: Double, longWindow: Duration, shortWindow: Duration
    ) {
        self.name = name
        self.severity = severity
        self.budgetFraction = budgetFraction
        self.longWindow = longWindow
        self.shortWindow = shortWindow
    }

    /// The burn rate both windows must exceed, for an SLO over `period`.
    public func factor(period: Duration) -> Double {
        budgetFraction * period.timeInterval / longWindow.timeInterval
    }

    /// Shortest time from the start of an incident with a constant `errorRatio` (0…1, traffic steady, no errors
    /// before) until the long window's error ratio first exceeds the threshold; the workbook's "detection time",
    /// `(1 − objective) / errorRatio × longWindow × factor` (objective as a fraction). Nil when it never fires.
    public func detectionTime(errorRatio: Double, objective: Double, period: Duration) -> Duration? {
        let threshold = factor(period: period) * (1 - objective)
        guard errorRatio > threshold else { return nil }
        return .milliseconds(Int64((threshold / errorRatio * longWindow.timeInterval * 1_000).rounded()))
    }

    /// SRE workbook, "Alerting on SLOs", table 5-8 shape: two page tiers and two ticket tiers.
    public static let standard: [BurnRateTier] = [
        BurnRateTier(
            name: "page-1h", severity: .page, budgetFraction: 0.02, longWindow: .seconds(3_600),
            shortWindow: .seconds(300)),
        BurnRateTier(
            name: "page-6h", severity: .page, budgetFraction: 0.05, longWindow: .seconds(6 * 3_600),
            shortWindow: .seconds(1_800)),
        BurnRateTier(
            name: "ticket-1d", severity: .ticket, budgetFraction: 0.10, longWindow: .seconds(86_400),
            shortWindow: .seconds(2 * 3_600)),
        BurnRateTier(
            name: "ticket-3d", severity: .ticket, budgetFraction: 0.10, longWindow: .seconds(3 * 86_400),
            shortWindow: .seconds(6 * 3_600)),
    ]
}
