import DriftlineCore
import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlinePipeline

/// Providers as OpenTelemetry and gateways name them are priced with the catalogue's
/// (LiteLLM's) provider names, through `ProviderAliases`.
@Suite("Provider aliases")
struct ProviderAliasTests {
    /// The shipped catalogue, with the aliases a default configuration gives it.
    static func shippedCatalogue(aliases: [String: [String]] = [:]) throws -> PriceCatalogue {
        var costs = PipelineConfiguration.CostSettings()
        costs.catalogue = repositoryRoot.appendingPathComponent("pipelines/prices.yaml").path
        costs.providerAliases = aliases
        return try #require(try costs.loadCatalogue())
    }

    static let start = EventTime(secondsSinceEpoch: 1_764_547_200)

    static func event(_ provider: String, _ model: String) -> LLMEvent {
        LLMEvent(
            start: start, end: start, model: model, provider: provider,
            tokens: TokenCounts(input: 1_000_000, output: 1_000_000))
    }

    /// An OTLP/JSON span as the OpenTelemetry GenAI conventions describe an Azure OpenAI call.
    static func azureSpan() throws -> LLMEvent {
        let nanos = 1_764_547_200_000_000_000
        func string(_ key: String, _ value: String) -> String {
            #"{"key":"\#(key)","value":{"stringValue":"\#(value)"}}"#
        }
        func int(_ key: String, _ value: Int) -> String { #"{"key":"\#(key)","value":{"intValue":"\#(value)"}}"# }
        let attributes = [
            string("gen_ai.operation.name", "chat"), string("gen_ai.provider.name", "azure.ai.openai"),
            string("gen_ai.request.model", "o3-mini"), int("gen_ai.usage.input_tokens", 1_000_000),
            int("gen_ai.usage.output_tokens", 1_000_000),
        ].joined(separator: ",")
        let json = #"""
            {"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{
             "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"chat o3-mini","kind":3,
             "startTimeUnixNano":"\#(nanos)","endTimeUnixNano":"\#(nanos + 1_000_000_000)",
             "attributes":[\#(attributes)]}]}]}]}
            """#
        let batch = try OTLPDecoder(encoding: .json).decode(Array(json.utf8))
        return try #require(batch.events.first)
    }

    @Test func anO3MiniSpanFromAzureOpenAIIsPriced() throws {
        let event = try Self.azureSpan()
        #expect(event.provider == "azure.ai.openai")
        let catalogue = try Self.shippedCatalogue()
        let price = try #require(catalogue.price(provider: event.provider, model: event.model, at: event.start))
        // Azure's own price when the catalogue has one, else OpenAI's list price.
        #expect(["azure", "openai"].contains(price.provider), "\(price.provider)")
        // LiteLLM: 1.1 USD per million input tokens and 4.4 per million output tokens, on both.
        #expect(catalogue.cost(of: event) == (try Money(decimal: "5.5")))
    }

    @Test func geminiFlashFromProviderGoogleIsPriced() throws {
        let catalogue = try Self.shippedCatalogue()
        let event = Self.event("google", "gemini-2.5-flash")
        let price = try #require(catalogue.price(provider: event.provider, model: event.model, at: event.start))
        #expect(price.provider == "gemini")
        // LiteLLM: 0.3 USD per million input tokens and 2.5 per million output tokens.
        #expect(catalogue.cost(of: event) == (try Money(decimal: "2.8")))
    }

    @Test(arguments: [
        ("gcp.gemini", "gemini-2.5-flash"), ("gcp.gen_ai", "gemini-2.5-flash"), ("gcp.vertex_ai", "gemini-2.5-flash"),
        ("Google", "gemini-2.5-flash"), ("openai", "o3-mini"), ("azure.ai.openai", "o3-mini"),
        ("anthropic", "claude-haiku-4-5"),
        ("x_ai", "grok-4.3"), ("mistral_ai", "mistral-large-latest"), ("deepseek", "deepseek-chat"),
    ])
    func wellKnownOpenTelemetryProvidersArePriced(provider: String, model: String) throws {
        let catalogue = try Self.shippedCatalogue()
        #expect(catalogue.cost(of: Self.event(provider, model)) != nil, "\(provider) \(model) is unpriced")
    }

    @Test func theChainTriesTheNameThenLowerCaseThenAliasesInOrder() {
        let aliases = ProviderAliases.standard
        #expect(aliases.chain(for: "azure.ai.openai") == ["azure.ai.openai", "azure", "openai"])
        #expect(aliases.chain(for: "Google") == ["Google", "google", "gemini", "vertex_ai"])
        #expect(aliases.chain(for: "openai") == ["openai"])
        #expect(aliases.chain(for: "unknown-gateway") == ["unknown-gateway"])
        #expect(aliases.chain(for: "") == [])
    }

    /// Entries for the provider as reported, and `*` entries, come first (the existing rule that
    /// an azure event takes a `*` price before openai's); aliases only when none matches, the
    /// earlier alias first.
    @Test func anEarlierProviderOfTheChainWinsAndTheEventsOwnNameFirst() throws {
        let rates = { (input: String) in TokenRates(input: try Money(decimal: input), output: .zero) }
        let catalogue = try PriceCatalogue([
            ModelPrice(provider: "openai", model: .exact("o3-mini"), rates: try rates("1"), location: "openai"),
            ModelPrice(provider: "azure", model: .exact("o3-mini"), rates: try rates("2"), location: "azure"),
            ModelPrice(provider: "*", model: .exact("o3-mini"), rates: try rates("3"), location: "any"),
        ])
        #expect(catalogue.price(provider: "azure.ai.openai", model: "o3-mini", at: Self.start)?.location == "any")
        let aliasesOnly = try PriceCatalogue([
            ModelPrice(provider: "openai", model: .exact("o3-mini"), rates: try rates("1"), location: "openai"),
            ModelPrice(provider: "azure", model: .glob("o3-*"), rates: try rates("2"), location: "azure"),
        ])
        #expect(aliasesOnly.price(provider: "azure.ai.openai", model: "o3-mini", at: Self.start)?.location == "azure")
        #expect(catalogue.price(provider: "openai", model: "o3-mini", at: Self.start)?.location == "openai")
        #expect(catalogue.price(provider: "other", model: "o3-mini", at: Self.start)?.location == "any")
        // The provider's own entry wins over a more specific one of an alias.
        let mixed = try PriceCatalogue([
            ModelPrice(provider: "google", model: .glob("gemini-*"), rates: try rates("1"), location: "glob"),
            ModelPrice(provider: "gemini", model: .exact("gemini-2.5-flash"), rates: try rates("2"), location: "exact"),
        ])
        #expect(mixed.price(provider: "google", model: "gemini-2.5-flash", at: Self.start)?.location == "glob")
    }

    @Test func theConfigurationAddsAndRemovesAliases() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: "costs:\n  provider_aliases:\n    my-gateway: [openai]\n    google: []\n")
        let aliases = configuration.costs.aliases
        #expect(aliases.chain(for: "my-gateway") == ["my-gateway", "openai"])
        #expect(aliases.chain(for: "google") == ["google"])
        let catalogue = try Self.shippedCatalogue(aliases: configuration.costs.providerAliases)
        #expect(catalogue.cost(of: Self.event("my-gateway", "o3-mini")) != nil)
        #expect(catalogue.cost(of: Self.event("google", "gemini-2.5-flash")) == nil)
    }

    /// LiteLLM's per-family provider names are imported under the cloud's one name.
    @Test func azureBedrockAndVertexAreImportedUnderTheirCloudsName() throws {
        let json = """
            {"azure/o3-mini": {"litellm_provider": "azure", "input_cost_per_token": 1.1e-06, "output_cost_per_token": 4.4e-06},
             "gemini-2.5-flash": {"litellm_provider": "vertex_ai-language-models", "input_cost_per_token": 3e-07,
                "output_cost_per_token": 2.5e-06},
             "vertex_ai/claude-haiku-4-5": {"litellm_provider": "vertex_ai-anthropic_models", "input_cost_per_token": 1e-06,
                "output_cost_per_token": 5e-06},
             "amazon.nova-lite-v1:0": {"litellm_provider": "bedrock_converse", "input_cost_per_token": 6e-08,
                "output_cost_per_token": 2.4e-07},
             "other/x": {"litellm_provider": "other", "input_cost_per_token": 1e-06}}
            """
        let result = try LiteLLMPriceImport.convert(
            json: Array(json.utf8), providers: ["azure", "vertex_ai", "bedrock"])
        let entries = Set(result.prices.map { "\($0.provider) \($0.model)" })
        #expect(
            entries == [
                "azure model: o3-mini", "vertex_ai model: gemini-2.5-flash", "vertex_ai model: claude-haiku-4-5",
                "bedrock model: amazon.nova-lite-v1:0",
            ])
        let catalogue = try PriceCatalogue(result.prices)
        #expect(catalogue.cost(of: Self.event("aws.bedrock", "amazon.nova-lite-v1:0")) == (try Money(decimal: "0.3")))
        #expect(catalogue.cost(of: Self.event("gcp.vertex_ai", "claude-haiku-4-5")) == (try Money(decimal: "6")))
    }
}
