import DriftlineCore
import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlinePipeline

@Suite("Price catalogue YAML")
struct PriceCatalogueYAMLTests {

    @Test func readsEveryKindOfEntry() throws {
        let catalogue = try PriceCatalogue.parse(
            yaml: """
                currency: USD
                prices:
                  - provider: gemini
                    model: gemini-2.5-pro
                    effective_from: 2026-01-01
                    input: 1.25
                    output: 10
                    cached_input: 0.125
                    tiers:
                      - above_input_tokens: 200000
                        input: 2.5
                        output: 15
                  - provider: "*"
                    model_regex: "ft:gpt-4o:.*"
                    examples: ["ft:gpt-4o:acme"]
                    input: 3.75
                    output: 15
                    request: 0.001
                  - provider: vllm
                    model: llama-3.1-70b
                    gpu_hour: {price: 2.40, gpus: 8}
                """)
        let start = EventTime(rfc3339: "2026-06-01T00:00:00Z") ?? .epoch
        let gemini = try #require(catalogue.price(provider: "gemini", model: "gemini-2.5-pro", at: start))
        #expect(gemini.rates.input == (try Money(decimal: "0.00000125")))
        #expect(gemini.tiers.first?.aboveInputTokens == 200_000)
        #expect(catalogue.price(provider: "gemini", model: "gemini-2.5-pro", at: .epoch) == nil)
        let tuned = try #require(catalogue.price(provider: "azure", model: "ft:gpt-4o:acme", at: start))
        #expect(tuned.requestFee == (try Money(decimal: "0.001")))
        let llama = try #require(catalogue.price(provider: "vllm", model: "llama-3.1-70b", at: start))
        #expect(llama.gpuHour == GPUHourPrice(pricePerGPUHour: try Money(decimal: "2.4"), gpus: 8))
        #expect(llama.cost(of: TokenCounts(input: 1000, output: 1000)) == .zero)
    }

    @Test(arguments: [
        ("prices:\n  - {provider: openai, model: m, input: 1}\n", "prices[0].output", "is required"),
        ("prices:\n  - {provider: openai, model: m, input: 1, output: x}\n", "prices[0].output", "decimal number"),
        (
            "prices:\n  - {provider: openai, model: m, input: 1, output: 2, colour: red}\n", "prices[0].colour",
            "unknown key"
        ),
        (
            "prices:\n  - {provider: openai, model: m, model_glob: 'm*', input: 1, output: 2}\n", "prices[0]",
            "exactly one"
        ),
        ("prices:\n  - {provider: openai, model: m, input: -1, output: 2}\n", "prices[0].input", "negative"),
        (
            "prices:\n  - {provider: openai, model: m, input: 1, output: 2, effective_from: yesterday}\n",
            "prices[0].effective_from", "YYYY-MM-DD"
        ),
        (
            "prices:\n  - {provider: openai, model_regex: '(', input: 1, output: 2}\n", "prices[0].model_regex",
            "regular expression"
        ),
        ("currency: EUR\nprices: []\n", "currency", "expected USD"),
        (
            "prices:\n  - {provider: openai, model: m, input: 0.0000000000000000001, output: 2}\n", "prices[0].input",
            "decimal places"
        ),
        (
            "prices:\n  - {provider: '*', model: m, gpu_hour: {price: 1, gpus: 1}}\n", "prices[0].gpu_hour",
            "exact model and provider"
        ),
        (
            """
            prices:
              - {provider: openai, model_glob: 'gpt-*', input: 1, output: 2}
              - {provider: openai, model_glob: '*t-4o', input: 1, output: 2}
            """, "prices[1]", "equally specific"
        ),
    ])
    func badFilesNameTheKey(yaml: String, key: String, message: String) {
        do {
            _ = try PriceCatalogue.parse(yaml: yaml, file: "prices.yaml")
            Issue.record("expected an error at \(key)")
        } catch {
            #expect(error.file == "prices.yaml")
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    /// The shipped catalogues load: the generated default and the local one that includes it.
    @Test func shippedCataloguesLoad() throws {
        let local = try PriceCatalogue.load(
            file: repositoryRoot.appendingPathComponent("pipelines/prices-local.yaml").path)
        let start = EventTime(rfc3339: "2026-06-01T00:00:00Z") ?? .epoch
        #expect(local.price(provider: "openai", model: "gpt-4o", at: start) != nil)
        #expect(
            local.price(provider: "anthropic", model: "claude-sonnet-4-20250514", at: start)?.rates.input
                == (try Money(decimal: "3", per: 1_000_000)))
        #expect(local.price(provider: "vllm", model: "llama-3.1-70b", at: start)?.gpuHour != nil)
    }

    @Test func costSettingsAreValidated() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: """
                costs:
                  catalogue: pipelines/prices.yaml
                  dimensions: [tenant, team]
                  budgets:
                    - {name: search-daily, scope: team, value: search, period: daily, amount_usd: 100}
                """)
        try configuration.validate()
        #expect(configuration.costs.windowDimensions == [.tenant, .team, .model, .provider])
        #expect(try configuration.costs.storedBudgets().first?.amountUSD == Money(decimal: "100"))
        let bad = try PipelineConfiguration.parse(
            yaml: "costs:\n  budgets:\n    - {name: b, scope: team, value: x, period: daily, amount_usd: lots}\n")
        #expect(throws: ConfigurationError.self) { try bad.validate() }
        let unattributed = try PipelineConfiguration.parse(
            yaml:
                "costs:\n  dimensions: [tenant]\n  budgets:\n    - {name: b, scope: team, value: x, period: daily, amount_usd: 1}\n"
        )
        #expect(throws: ConfigurationError.self) { try unattributed.validate() }
        #expect(throws: ConfigurationError.self) {
            try PipelineConfiguration.parse(
                yaml: "costs:\n  budgets:\n    - {name: b, scope: user, value: x, period: daily, amount_usd: 1}\n")
        }
    }
}

@Suite("Cost report")
struct CostReportTests {
    @Test(arguments: [
        ("12.340000000000000000000000", "12.34"), ("0.1066666666666666666666", "0.106666667"),
        ("0.9999999999", "1"), ("5", "5"), ("0.000000000400", "0"), ("19.9999999995", "20"),
    ])
    func roundsForDisplay(exact: String, shown: String) {
        #expect(CostReport.trimmed(exact) == shown)
    }
}

/// The committed default catalogue is what `driftline prices import` makes of the shared copy
/// of LiteLLM's price map (checked where that copy exists, i.e. in the development checkout).
@Suite("Default catalogue")
struct DefaultCatalogueTests {
    static let source =
        repositoryRoot
        .appendingPathComponent("../shared/data/litellm_model_prices.json").standardizedFileURL.path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: source)))
    func isUpToDateWithItsSource() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.source))
        // The list of scripts/generate-prices.sh.
        let providers = [
            "openai", "anthropic", "gemini", "xai", "mistral", "deepseek", "azure", "azure_ai", "bedrock", "vertex_ai",
        ]
        let result = try LiteLLMPriceImport.convert(json: [UInt8](data), providers: Set(providers))
        let committed = try String(
            contentsOf: repositoryRoot.appendingPathComponent("pipelines/prices.yaml"),
            encoding: .utf8)
        let body = committed.components(separatedBy: "currency: USD\n").dropFirst().joined()
        let regenerated = ModelPrice.yamlDocument(result.prices, header: [])
            .components(separatedBy: "currency: USD\n").dropFirst().joined()
        #expect(body == regenerated, "pipelines/prices.yaml is stale: run scripts/generate-prices.sh")
    }
}
