import DriftlineTestSupport
import Foundation
import Testing

@testable import driftline

/// `driftline alerts check`: what it reports for the shipped rules and for a broken file.
@Suite("alerts check command")
struct AlertsCheckCommandTests {
    static let alertsFolder = repositoryRoot.appendingPathComponent("alerts").path

    @Test func theShippedRulesCheckClean() {
        let report = AlertsCheckCommand.check([Self.alertsFolder])
        #expect(report.errors == [])
        #expect(report.succeeded)
        // Summaries written by hand from the six files.
        #expect(
            report.rules == [
                "\(Self.alertsFolder)/budgets.yaml: budgets: budget, "
                    + "conditions budget_100 budget_80 budget_forecast unpriced_model, severity ticket, "
                    + "page on budget_100, one series per condition and subject",
                "\(Self.alertsFolder)/chat-availability.yaml: chat-availability: slo, "
                    + "sli availability (ok_requests / requests), objective 99% over 30d, grouped by tenant",
                "\(Self.alertsFolder)/chat-tpot.yaml: chat-tpot: slo, "
                    + "sli latency (tpot_at_or_below_ms(50) / tpot_measured), objective 99.5% over 30d, grouped by model",
                "\(Self.alertsFolder)/chat-ttft-p99.yaml: chat-ttft-p99: threshold, p99(ttft_ms) > 2000 over 5m, "
                    + "severity page, grouped by model",
                "\(Self.alertsFolder)/chat-ttft.yaml: chat-ttft: slo, "
                    + "sli latency (ttft_at_or_below_ms(1500) / ttft_measured), objective 99% over 30d, grouped by model",
                "\(Self.alertsFolder)/output-length-drift.yaml: output-length-drift: drift, "
                    + "PSI of output_tokens >= 0.2 in 3 evaluations, severity ticket",
            ])
        #expect(report.totals == "6 rules valid, 0 errors in \(Self.alertsFolder)")
    }

    @Test func theDefaultPathIsTheAlertsFolder() throws {
        let command = try #require(try Driftline.parseAsRoot(["alerts", "check"]) as? AlertsCheckCommand)
        #expect(command.paths == ["alerts"])
    }

    /// The broken value's file, line, column and key (counted by hand in the text below), beside a valid file
    /// given by name and a rule name used twice.
    @Test func aBrokenFileIsNamedWithLineAndKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-check-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let valid = """
            kind: slo
            name: api-availability
            objective: 99.9
            sli:
              availability: {}
            """
        let broken = """
            kind: slo
            name: api-latency
            objective: 99
            sli:
              latency:
                metric: ttft
                threshold_ms: fast
            """
        try valid.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try broken.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let again = folder.appendingPathComponent("again.rules").path
        try valid.write(toFile: again, atomically: true, encoding: .utf8)

        let report = AlertsCheckCommand.check([folder.path, again])
        #expect(!report.succeeded)
        #expect(report.errors.count == 2)
        #expect(
            report.errors.first?.hasPrefix("\(folder.path)/b.yaml:7:19: sli.latency.threshold_ms: expected ") == true)
        #expect(report.errors.first?.hasSuffix(", found \"fast\"") == true)
        #expect(report.errors.last?.hasPrefix("\(again):2:7: name: expected a name not already used by ") == true)
        #expect(report.rules.count == 1)
        #expect(report.totals == "1 rule valid, 2 errors in \(folder.path) \(again)")
    }

    @Test func aMissingPathIsAnError() {
        let report = AlertsCheckCommand.check(["/nonexistent/alerts"])
        #expect(!report.succeeded)
        #expect(report.errors.first?.hasPrefix("/nonexistent/alerts: document: expected a readable folder") == true)
    }
}
