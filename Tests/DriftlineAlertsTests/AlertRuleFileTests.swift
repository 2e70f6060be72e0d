import DriftlineAlerts
import Foundation
import Testing

struct AlertRuleFileTests {
    static let alertsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("alerts").path

    @Test func shippedChatRulesLoad() throws {
        let outcome = AlertRuleLoader().load(directory: Self.alertsFolder)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        let slos = outcome.rules.compactMap { $0 as? SLOSpec }.sorted { $0.name < $1.name }
        #expect(slos.map(\.name) == ["chat-availability", "chat-tpot", "chat-ttft"])
        let ttft = try #require(slos.last)
        #expect(ttft.sli.description == "ttft_at_or_below_ms(1500) / ttft_measured")
        #expect(ttft.objective == 0.99)
        #expect(ttft.period == .seconds(30 * 86_400))
        #expect(ttft.groupBy == [.model])
        #expect(ttft.filter.allowedValues == [.app: ["chat"], .environment: ["prod"]])
        #expect(slos[0].sli.description == "ok_requests / requests")
        #expect(slos[0].policy.minimumEvents == 200)
        #expect(slos[1].sli.description == "tpot_at_or_below_ms(50) / tpot_measured")
        let threshold = try #require(outcome.rules.compactMap { $0 as? ThresholdRule }.first)
        #expect(threshold.metric == .quantile(0.99, histogram: "ttft_ms"))
        #expect(threshold.pendingFor == .seconds(300))
        #expect(threshold.comparison == .above)
        #expect(
            IngestThresholds.counters(in: outcome.rules).map(\.description) == [
                "tpot_at_or_below_ms(50)", "ttft_at_or_below_ms(1500)",
            ])
    }

    @Test func aRatioOfStoredCountersIsANewSLIKindWithoutCode() throws {
        let text = """
            kind: slo
            name: cache-hits
            objective: 90
            period: 28d
            sli:
              ratio:
                good: e2e_at_or_below_ms(250)
                total: e2e_measured
            alerting:
              tiers:
                - {name: page-1h, severity: page, budget_fraction: 0.02, long_window: 1h, short_window: 5m}
            """
        let slo = try #require(try AlertRuleKindRegistry.standard.decode(yaml: text, file: "x.yaml") as? SLOSpec)
        #expect(slo.sli.good == CounterReference(.e2eAtOrBelow, thresholdMilliseconds: 250))
        #expect(slo.policy.tiers.count == 1)
        #expect(abs(slo.policy.tiers[0].factor(period: slo.period) - 13.44) < 1e-9)
    }

    struct BrokenFile: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        let code: AlertSpecError.Code
        let line: Int
        let key: String
        var testDescription: String { name }
    }

    static let valid = """
        kind: slo
        name: chat
        objective: 99.5
        sli:
          availability: {}

        """

    /// Each mistake is reported at the line of the offending value, with its dotted key.
    static let broken: [BrokenFile] = [
        BrokenFile(
            name: "objective out of range", yaml: valid.replacingOccurrences(of: "99.5", with: "100"),
            code: .invalidValue, line: 3, key: "objective"),
        BrokenFile(
            name: "objective not a number", yaml: valid.replacingOccurrences(of: "99.5", with: "high"),
            code: .wrongType, line: 3, key: "objective"),
        BrokenFile(
            name: "missing sli", yaml: "kind: slo\nname: chat\nobjective: 99\n", code: .missingKey, line: 1,
            key: "sli"),
        BrokenFile(
            name: "typo key", yaml: valid + "perod: 30d\n", code: .unknownKey, line: 6, key: "perod"),
        BrokenFile(
            name: "bad period", yaml: valid + "period: 30 days\n", code: .invalidValue, line: 6, key: "period"),
        BrokenFile(
            name: "unknown dimension", yaml: valid + "group_by: [modle]\n", code: .invalidValue, line: 6,
            key: "group_by"),
        BrokenFile(
            name: "bad latency metric",
            yaml: "kind: slo\nname: chat\nobjective: 99\nsli:\n  latency:\n    metric: ttfb\n    threshold_ms: 100\n",
            code: .invalidValue, line: 6, key: "sli.latency.metric"),
        BrokenFile(
            name: "negative threshold",
            yaml: "kind: slo\nname: chat\nobjective: 99\nsli:\n  latency:\n    metric: ttft\n    threshold_ms: -5\n",
            code: .invalidValue, line: 7, key: "sli.latency.threshold_ms"),
        BrokenFile(
            name: "unknown counter",
            yaml: "kind: slo\nname: chat\nobjective: 99\nsli:\n  ratio:\n    good: happy\n    total: requests\n",
            code: .invalidValue, line: 6, key: "sli.ratio.good"),
        BrokenFile(
            name: "two sli kinds",
            yaml: "kind: slo\nname: chat\nobjective: 99\nsli:\n  availability: {}\n  quality: {}\n",
            code: .invalidValue, line: 6, key: "sli.quality"),
        BrokenFile(
            name: "tier windows reversed",
            yaml: valid
                + "alerting:\n  tiers:\n    - {name: p, severity: page, budget_fraction: 0.02, long_window: 5m, short_window: 1h}\n",
            code: .invalidValue, line: 8, key: "alerting.tiers[0].short_window"),
        BrokenFile(
            name: "unknown kind", yaml: valid.replacingOccurrences(of: "kind: slo", with: "kind: sla"),
            code: .unknownKind, line: 1, key: "kind"),
        BrokenFile(
            name: "threshold op",
            yaml: "kind: threshold\nname: t\nmetric: p99(ttft_ms)\nwindow: 5m\nop: '=>'\nthreshold: 1\n",
            code: .invalidValue, line: 5, key: "op"),
        BrokenFile(
            name: "threshold metric",
            yaml: "kind: threshold\nname: t\nmetric: p99(ttft)\nwindow: 5m\nop: '>'\nthreshold: 1\n",
            code: .invalidValue, line: 3, key: "metric"),
        BrokenFile(
            name: "yaml syntax", yaml: "kind: slo\nname: [chat\n", code: .syntax, line: 3, key: ""),
    ]

    @Test(arguments: broken)
    func brokenFilesNameFileLineAndKey(_ broken: BrokenFile) {
        #expect(throws: AlertSpecError.self) {
            _ = try AlertRuleKindRegistry.standard.decode(yaml: broken.yaml, file: "alerts/broken.yaml")
        }
        do {
            _ = try AlertRuleKindRegistry.standard.decode(yaml: broken.yaml, file: "alerts/broken.yaml")
        } catch {
            #expect(error.code == broken.code)
            #expect(error.line == broken.line)
            #expect(error.key == broken.key)
            #expect(error.file == "alerts/broken.yaml")
            #expect(error.description.hasPrefix("alerts/broken.yaml:\(broken.line):"), "\(error)")
        }
    }

    @Test func duplicateNamesAcrossFilesAreReported() {
        let outcome = AlertRuleLoader().load(files: [("a.yaml", Self.valid), ("b.yaml", Self.valid)])
        #expect(outcome.rules.count == 1)
        #expect(outcome.errors.map(\.code) == [.duplicateName])
        #expect(outcome.errors.first?.file == "b.yaml")
    }

    @Test func durationsParseAndFormat() {
        #expect(AlertDuration.parse("30d") == .seconds(30 * 86_400))
        #expect(AlertDuration.parse("1h30m") == .seconds(5_400))
        #expect(AlertDuration.parse("250ms") == .milliseconds(250))
        #expect(AlertDuration.parse("30") == nil)
        #expect(AlertDuration.parse("5 m") == nil)
        #expect(AlertDuration.parse("0s") == nil)
        #expect(AlertDuration.format(.seconds(5_400)) == "1h30m")
        #expect(AlertDuration.format(.seconds(3 * 86_400)) == "3d")
    }
}
