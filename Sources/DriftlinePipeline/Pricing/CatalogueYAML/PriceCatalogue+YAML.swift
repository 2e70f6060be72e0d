public import DriftlineCore
import Foundation
import Yams

/// Loads the price catalogue (`pipelines/prices.yaml`). Numbers are read from their YAML text,
/// never through `Double`, so `0.125` per million tokens is exactly 1.25 × 10⁻⁷ USD per token.
/// Every key is checked: an unknown key, a missing price or an unparsable number fails with the
/// file, the entry and the key.
extension PriceCatalogue {
    public static func load(file: String) throws -> PriceCatalogue {
        let text: String
        do {
            text = try PipelineConfiguration.readConfigurationFile(file)
        } catch {
            throw PriceCatalogueError(file: file, key: "", error.message)
        }
        return try parse(yaml: text, file: file)
    }

    public static func parse(yaml: String, file: String? = nil) throws(PriceCatalogueError) -> PriceCatalogue {
        var prices: [ModelPrice] = []
        var examples: [ModelPattern: [String]] = [:]
        try PriceCatalogueReader().collect(yaml, file: file, depth: 0, into: &prices, examples: &examples)
        do {
            return try PriceCatalogue(prices, regexExamples: examples)
        } catch var error {
            error.file = error.file ?? file
            throw error
        }
    }
}
