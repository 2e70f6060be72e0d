import ArgumentParser
import DriftlinePipeline
import DriftlineStats
import Foundation

struct DriftPSICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psi",
        abstract: "Print the PSI of two samples (one value per line), its severity and the bins with their shares.")

    @Option(help: "The reference sample; - for standard input.")
    var reference: String

    @Option(help: "The current sample; - for standard input.")
    var current: String

    @Option(help: "quantile (reference deciles), sturges (Evidently's equal-width bins) or categorical.")
    var binning: String = PSIBinning.quantile.rawValue

    func run() throws {
        try OfflineToolFailure.reporting {
            guard let binning = PSIBinning(rawValue: binning) else {
                let names = PSIBinning.allCases.map(\.rawValue).joined(separator: ", ")
                throw DriftToolError(.badOption, "--binning: expected one of \(names), got \"\(self.binning)\"")
            }
            guard reference != "-" || current != "-" else {
                throw DriftToolError(.badOption, "--reference and --current cannot both be standard input")
            }
            let referenceInput = DriftInput(path: reference)
            let currentInput = DriftInput(path: current)
            let result = try SamplePSI.compute(
                reference: try referenceInput.text(), referenceSource: referenceInput.name,
                current: try currentInput.text(), currentSource: currentInput.name, binning: binning)
            print(Self.render(result), terminator: "")
        }
    }

    /// The PSI and severity on the first line, then one row per bin with its shares after the
    /// empty-bin fill (the shares the PSI was computed from).
    static func render(_ result: PSIResult) -> String {
        let thresholds = PSIThresholds.default
        var table = TextTable(columns: ["bin", "values", "reference", "current"])
        for (index, bin) in result.bins.enumerated() {
            table.add([
                "\(index + 1)", range(bin.range, binning: result.binning, last: index == result.bins.count - 1),
                share(bin.referenceShare), share(bin.currentShare),
            ])
        }
        return "psi: \(result.value) (\(result.severity(thresholds).rawValue); minor from \(thresholds.minor),"
            + " major from \(thresholds.major))\n"
            + "binning: \(result.binning.rawValue), \(result.bins.count) bins\n" + table.render()
    }

    /// Six significant digits: enough to read, and an empty bin's fill (say 1e-10) stays visible.
    private static func share(_ value: Double) -> String { String(format: "%.6g", value) }

    private static func range(_ range: PSIResult.Bin.Range, binning: PSIBinning, last: Bool) -> String {
        switch range {
        case .category(let name):
            return name
        case .interval(let lower, let upper):
            switch binning {
            case .sturges: return "[\(lower), \(upper)\(last ? "]" : ")")"
            default: return "(\(lower), \(upper)\(upper.isInfinite ? ")" : "]")"
            }
        }
    }
}
