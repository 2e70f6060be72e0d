import DriftlineCore
import Testing

@testable import DriftlinePipeline

/// The catalogue's YAML writer, next to its reader since both live in `Pricing/CatalogueYAML`.
@Suite("Catalogue YAML writer")
struct CatalogueYAMLWriterTests {
    /// Moved from DriftlineCoreTests' LiteLLM import test when the writer left DriftlineCore.
    @Test func importedPricesAreWrittenPerMillionTokensAndReadBackTheSame() throws {
        let json = """
            {"gemini/gemini-x": {"litellm_provider": "gemini", "input_cost_per_token": 1.25e-07,
                "output_cost_per_token": 1e-06, "cache_read_input_token_cost": 3.125e-08},
             "claude-y": {"litellm_provider": "anthropic", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06}}
            """
        let result = try LiteLLMPriceImport.convert(json: Array(json.utf8))
        let yaml = ModelPrice.yamlDocument(result.prices, header: [])
        #expect(yaml.contains("  input: 0.125\n"))
        #expect(yaml.contains("  cache_write_1h: 6\n"))
        let read = try PriceCatalogue.parse(yaml: yaml)
        let written = Set(result.prices.map { "\($0.provider) \($0.model) \($0.rates)" })
        #expect(Set(read.histories.flatMap(\.entries).map { "\($0.provider) \($0.model) \($0.rates)" }) == written)
    }
}
