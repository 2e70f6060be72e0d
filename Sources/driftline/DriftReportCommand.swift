import ArgumentParser
import DriftlineCore
import DriftlinePipeline
import DriftlineStats
import DriftlineStore
import Foundation
import Logging

/// `driftline drift report`: the PSI of one feature between two periods, per grouping, from the
/// aggregates in PostgreSQL — the computation of the scheduled evaluation, on demand.
struct DriftReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "PSI of a feature between a reference and a current period, from Postgres.")

    @Option(
        help:
            "ttft, tpot, latency, input_tokens, output_tokens, faithfulness (scored samples), or a categorical feature (finish_reason)."
    )
    var feature: String

    @Option(help: "The reference period START..END: RFC 3339 times, now, or -7d / -12h / -30m.")
    var reference: String

    @Option(help: "The current period, as --reference.")
    var current: String

    @Option(name: .customLong("group-by"), help: "Dimensions to compare within, comma-separated (none: all traffic).")
    var groupBy: String?

    @Option(help: "quantile (default) or sturges, for numeric features.")
    var binning: String = "quantile"

    @Flag(help: "Print each grouping's bins and shares.")
    var bins = false

    @Option(help: "Pipeline configuration (YAML); only its postgres section is used. DATABASE_URL overrides it.")
    var config: String?

    func run() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let referencePeriod: Range<Int64>
        let currentPeriod: Range<Int64>
        do {
            referencePeriod = try ReportPeriod.parse(reference, now: now)
            currentPeriod = try ReportPeriod.parse(current, now: now)
        } catch {
            throw ValidationError("\(error)")
        }
        var dimensions: [DriftlineCore.Dimension] = []
        for name in (groupBy ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let dimension = DriftlineCore.Dimension(rawValue: name) else {
                throw ValidationError(
                    "--group-by: expected dimensions among "
                        + "\(DriftlineCore.Dimension.allCases.map(\.rawValue).joined(separator: ", ")), got \(name)")
            }
            dimensions.append(dimension)
        }
        guard let chosen = PSIBinning(rawValue: binning), chosen != .categorical else {
            throw ValidationError("--binning: expected quantile or sturges, got \(binning)")
        }
        let evaluator = PSIEvaluator(features: [feature], groupBy: dimensions, binning: chosen)
        let logger = makeLogger("driftline.drift", level: .warning)
        let showBins = bins
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let results = try await withReachablePostgresClient(configuration: configuration, logger: logger) {
                try await evaluator.evaluate(
                    store: AggregateStore(client: $0, logger: logger), reference: referencePeriod,
                    current: currentPeriod)
            }
            guard !results.isEmpty else {
                print("no \(feature) data in both periods")
                return
            }
            var table = TextTable(columns: ["grouping", "PSI", "severity", "reference n", "current n"])
            for result in results.sorted(by: { $0.psi > $1.psi }) {
                table.add([
                    result.grouping, String(format: "%.4f", result.psi), result.severity, "\(result.referenceCount)",
                    "\(result.currentCount)",
                ])
            }
            print("PSI of \(feature) (\(results[0].binning) bins)")
            print(table.render())
            if showBins {
                for result in results { print("\(result.grouping): \(result.binsJSON)") }
            }
        }
    }
}
