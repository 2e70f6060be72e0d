import DriftlineAlerts
import Testing

/// Oracle: SRE workbook, "Alerting on SLOs", table 5-8 ("Recommended parameters for a 99.9 % SLO alerting
/// configuration") and the surrounding text: burn rate 14.4 for 2 % of the 30-day budget in 1 h, 6 for 5 % in
/// 6 h, 3 for 10 % in 1 d, 1 for 10 % in 3 d; short windows 1/12 of the long ones.
struct BurnRateTierTests {
    static let thirtyDays: Duration = .seconds(30 * 86_400)
    static let twentyEightDays: Duration = .seconds(28 * 86_400)

    struct WorkbookRow: Sendable {
        let name: String
        let budgetPercent: Double
        let longHours: Double
        let shortMinutes: Double
        let burnRate: Double
    }

    static let workbook: [WorkbookRow] = [
        WorkbookRow(name: "page-1h", budgetPercent: 2, longHours: 1, shortMinutes: 5, burnRate: 14.4),
        WorkbookRow(name: "page-6h", budgetPercent: 5, longHours: 6, shortMinutes: 30, burnRate: 6),
        WorkbookRow(name: "ticket-1d", budgetPercent: 10, longHours: 24, shortMinutes: 120, burnRate: 3),
        WorkbookRow(name: "ticket-3d", budgetPercent: 10, longHours: 72, shortMinutes: 360, burnRate: 1),
    ]

    @Test func standardTiersReproduceTheWorkbookTableForThirtyDays() {
        #expect(BurnRateTier.standard.count == Self.workbook.count)
        for (tier, row) in zip(BurnRateTier.standard, Self.workbook) {
            #expect(tier.name == row.name)
            #expect(abs(tier.budgetFraction * 100 - row.budgetPercent) < 1e-12)
            #expect(tier.longWindow == .seconds(row.longHours * 3_600))
            #expect(tier.shortWindow == .seconds(row.shortMinutes * 60))
            #expect(abs(tier.factor(period: Self.thirtyDays) - row.burnRate) < 1e-9, "\(tier.name)")
        }
        #expect(BurnRateTier.standard.map(\.severity) == [.page, .page, .ticket, .ticket])
    }

    /// Same budget fractions over 28 days: 672 h × fraction / long window.
    @Test func twentyEightDayFactorsScaleFromTheSameFractions() {
        let expected = [13.44, 5.6, 2.8, 0.933_333_333_333]
        for (tier, factor) in zip(BurnRateTier.standard, expected) {
            #expect(abs(tier.factor(period: Self.twentyEightDays) - factor) < 1e-9, "\(tier.name)")
        }
    }

    /// The workbook's detection time, `(1 − SLO) / error ratio × window × burn rate`: at 99.9 % and 100 % errors
    /// the 1 h / 14.4 tier detects after 0.864 minutes, the 6 h / 6 tier after 2.16 minutes.
    @Test func detectionTimeFollowsTheWorkbookFormula() throws {
        let fast = BurnRateTier.standard[0]
        let slow = BurnRateTier.standard[1]
        let fastTime = try #require(fast.detectionTime(errorRatio: 1, objective: 0.999, period: Self.thirtyDays))
        let slowTime = try #require(slow.detectionTime(errorRatio: 1, objective: 0.999, period: Self.thirtyDays))
        #expect(fastTime == .milliseconds(51_840))
        #expect(slowTime == .milliseconds(129_600))
        // An error ratio at the threshold (14.4 × 0.1 %) never fires the strict comparison.
        #expect(fast.detectionTime(errorRatio: 0.0144, objective: 0.999, period: Self.thirtyDays) == nil)
    }

    @Test func requiredWindowsAreTheDistinctTierWindowsShortestFirst() {
        let hours: [Double] = [5.0 / 60, 0.5, 1, 2, 6, 24, 72]
        #expect(BurnRatePolicy().requiredWindows == hours.map { .seconds($0 * 3_600) })
    }
}
