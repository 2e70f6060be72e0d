import ArgumentParser
import DriftlinePipeline
import DriftlineStats

struct DriftEmbeddingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embeddings",
        abstract: "Print the centroid distances, the MMD score and its permutation p-value of two embedding samples.",
        discussion: "One vector per line, elements separated by commas, all of one dimension.")

    @Option(help: "The reference embeddings (CSV); - for standard input.")
    var reference: String

    @Option(help: "The current embeddings (CSV); - for standard input.")
    var current: String

    @Option(help: "Random splits in the MMD permutation test.")
    var permutations: Int = MaximumMeanDiscrepancy.defaultPermutations

    @Option(help: "Seed of the permutation test's SplitMix64 generator; the same seed gives the same p-value.")
    var seed: UInt64 = 0

    func run() throws {
        try OfflineToolFailure.reporting {
            guard reference != "-" || current != "-" else {
                throw DriftToolError(.badOption, "--reference and --current cannot both be standard input")
            }
            let referenceInput = DriftInput(path: reference)
            let currentInput = DriftInput(path: current)
            let comparison = try EmbeddingComparison(
                reference: try VectorLines.vectors(in: try referenceInput.text(), source: referenceInput.name),
                referenceSource: referenceInput.name,
                current: try VectorLines.vectors(in: try currentInput.text(), source: currentInput.name),
                currentSource: currentInput.name, permutations: permutations, seed: seed)
            print(Self.render(comparison), terminator: "")
        }
    }

    static func render(_ comparison: EmbeddingComparison) -> String {
        let cosine = comparison.centroidCosineDistance.map { "\($0)" } ?? "none (a centroid is the zero vector)"
        return """
            vectors: \(comparison.referenceCount) reference, \(comparison.currentCount) current, \
            \(comparison.dimension) dimensions
            centroid cosine distance: \(cosine)
            centroid euclidean distance: \(comparison.centroidEuclideanDistance)
            mmd score: \(comparison.mmd.score)
            mmd bandwidth (median distance): \(comparison.mmd.medianDistance)
            mmd p-value: \(comparison.pValue) (\(comparison.permutations) permutations, seed \(comparison.seed))

            """
    }
}
