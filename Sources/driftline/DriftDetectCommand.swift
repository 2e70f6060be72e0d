import ArgumentParser
import DriftlinePipeline

struct DriftDetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Print the 0-based index of every update after which ADWIN or Page-Hinkley detects a drift.",
        discussion: "Defaults are River 0.26.1's; an option the chosen detector does not take is an error.")

    @Option(help: "adwin or page-hinkley.")
    var detector: String

    @Option(help: "ADWIN: confidence δ, in (0, 1) (0.002). Page-Hinkley: change tolerated, δ ≥ 0 (0.005).")
    var delta: Double?

    @Option(help: "ADWIN: look for a cut every N updates (32).")
    var clock: Int?

    @Option(help: "ADWIN: buckets of one size kept before merging, 1…255 (5).")
    var maxBuckets: Int?

    @Option(help: "ADWIN: the least items in each part of a cut (5).")
    var minWindowLength: Int?

    @Option(help: "ADWIN: no cut is looked for while the window holds at most N items (10).")
    var gracePeriod: Int?

    @Option(help: "Page-Hinkley: detection threshold λ > 0 (50).")
    var threshold: Double?

    @Option(help: "Page-Hinkley: values seen before a drift can be reported (30).")
    var minInstances: Int?

    @Option(help: "Page-Hinkley: forgetting factor α, in (0, 1] (0.9999).")
    var alpha: Double?

    @Argument(help: "One number per line, blank lines skipped; - for standard input.")
    var file: String

    func run() throws {
        try OfflineToolFailure.reporting {
            let options = OfflineDetectorOptions(
                delta: delta, clock: clock, maxBuckets: maxBuckets, minWindowLength: minWindowLength,
                gracePeriod: gracePeriod, threshold: threshold, minInstances: minInstances, alpha: alpha)
            let detector = try options.detector(named: self.detector)
            let input = DriftInput(path: file)
            let values = try NumberLines.numbers(in: try input.text(), source: input.name)
            let indices = detector.detectionIndices(in: values)
            if !indices.isEmpty { print(indices.map(String.init).joined(separator: "\n")) }
        }
    }
}
