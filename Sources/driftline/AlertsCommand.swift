import ArgumentParser
import DriftlineAlerts
import Foundation

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alert rules (alerts/*.yaml): check them, see what fires, test a receiver.",
        subcommands: [AlertsCheckCommand.self, AlertsStatusCommand.self, AlertsTestCommand.self])
}

/// `driftline alerts check`: every rule file loaded as the evaluator will load it, each broken file reported as a
/// compiler-style line (`file:line:column: key: expected …`), each valid rule summed up on one line.
struct AlertsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate alert rule files; exit status 1 when any is broken.",
        discussion:
            "A folder is checked as the evaluator reads it (its *.yaml and *.yml files, not recursive); a file is checked whatever its name. Rule names must be unique across everything checked."
    )

    @Argument(help: "Rule files or folders.")
    var paths: [String] = ["alerts"]

    func run() throws {
        let report = Self.check(paths)
        for error in report.errors {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
        }
        for line in report.rules {
            print(line)
        }
        print(report.totals)
        if !report.succeeded { throw ExitCode(1) }
    }

    struct Report {
        /// `AlertSpecError` lines, in file order.
        var errors: [String]
        /// One summary per valid rule, in file order.
        var rules: [String]
        var totals: String

        var succeeded: Bool { errors.isEmpty }
    }

    static func check(_ paths: [String]) -> Report {
        let outcome = AlertRuleLoader().load(paths: paths)
        let errors = outcome.errors.map(\.description)
        let rules = outcome.rules.map(summary)
        let totals =
            "\(count(outcome.rules.count, "rule")) valid, \(count(errors.count, "error")) in \(paths.joined(separator: " "))"
        return Report(errors: errors, rules: rules, totals: totals)
    }

    /// `file: name: kind, what it watches, objective or threshold, groups`.
    static func summary(of rule: any AlertRule) -> String {
        var parts: [String]
        let groupBy: [AlertDimension]
        switch rule {
        case let slo as SLOSpec:
            parts = [
                "slo", "sli \(slo.sli.kind) (\(slo.sli))",
                "objective \(String(format: "%g", slo.objective * 100))% over \(AlertDuration.format(slo.period))",
            ]
            groupBy = slo.groupBy
        case let threshold as ThresholdRule:
            parts = [
                "threshold",
                "\(threshold.metric) \(threshold.comparison.rawValue) \(String(format: "%g", threshold.threshold)) "
                    + "over \(AlertDuration.format(threshold.window))",
                "severity \(threshold.severity)",
            ]
            groupBy = threshold.groupBy
        case let budget as BudgetRule:
            parts = [
                "budget", "conditions \(budget.conditions.sorted().joined(separator: " "))",
                "severity \(budget.severity)",
            ]
            if !budget.pageOn.isEmpty { parts.append("page on \(budget.pageOn.sorted().joined(separator: " "))") }
            parts.append("one series per condition and subject")
            return "\(rule.sourceFile): \(rule.name): " + parts.joined(separator: ", ")
        case let drift as DriftRule:
            switch drift.condition {
            case .psi(let feature, let threshold, let consecutive):
                parts = [
                    "drift", "PSI of \(feature) >= \(String(format: "%g", threshold)) in \(consecutive) evaluations",
                ]
            case .detection(let signal, let window):
                parts = ["drift", "detection on \(signal) within \(AlertDuration.format(window))"]
            case .centroid(let metric, let threshold):
                parts = [
                    "drift", "embedding centroid \(metric.rawValue) distance >= \(String(format: "%g", threshold))",
                ]
            }
            parts.append("severity \(drift.severity)")
            return "\(rule.sourceFile): \(rule.name): " + parts.joined(separator: ", ")
        default:
            parts = ["\(type(of: rule))"]
            groupBy = []
        }
        parts.append(groupBy.isEmpty ? "one group" : "grouped by \(groupBy.map(\.rawValue).joined(separator: ", "))")
        return "\(rule.sourceFile): \(rule.name): " + parts.joined(separator: ", ")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
