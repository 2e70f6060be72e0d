/// Which catalogue providers an event's provider is priced as, tried in order after the name
/// itself.
///
/// Events name providers as their source does: OpenTelemetry's `gen_ai.provider.name`
/// (`gcp.gemini`, `azure.ai.openai`, `aws.bedrock`, …), a gateway's spelling (`google`,
/// `vertex`, `azure_openai`), or LiteLLM's. The catalogue uses LiteLLM's names (`gemini`,
/// `vertex_ai`, `azure`, `bedrock`, `xai`, `mistral`), because its prices are imported from
/// LiteLLM's price file. Each alias lists the catalogue providers to try, most faithful
/// first: an Azure OpenAI call is priced at Azure's price when the catalogue has one, else at
/// OpenAI's list price, which Azure matches for most models.
///
/// Names are compared in lower case. `costs.provider_aliases` in the pipeline configuration
/// adds entries or replaces these (an empty list removes one).
public struct ProviderAliases: Sendable, Equatable {
    /// Lower-case event provider → catalogue providers.
    public private(set) var table: [String: [String]]

    public init(_ table: [String: [String]]) {
        self.table = Dictionary(table.map { ($0.key.lowercased(), $0.value) }) { $1 }
    }

    /// The well-known values of OpenTelemetry's `gen_ai.provider.name` (semantic conventions
    /// 1.37, and the `gen_ai.system` values before it), and common gateway spellings.
    public static let standard = ProviderAliases([
        // OpenTelemetry GenAI `gen_ai.provider.name` well-known values.
        "anthropic": ["anthropic"],
        "aws.bedrock": ["bedrock"],
        "azure.ai.inference": ["azure_ai"],
        "azure.ai.openai": ["azure", "openai"],
        "cohere": ["cohere"],
        "deepseek": ["deepseek"],
        "gcp.gemini": ["gemini"],
        "gcp.gen_ai": ["gemini", "vertex_ai"],
        "gcp.vertex_ai": ["vertex_ai", "gemini"],
        "groq": ["groq"],
        "ibm.watsonx.ai": ["watsonx"],
        "mistral_ai": ["mistral"],
        "openai": ["openai"],
        "perplexity": ["perplexity"],
        "x_ai": ["xai"],
        // `gen_ai.system` values of semantic conventions before 1.37.
        "az.ai.inference": ["azure_ai"],
        "az.ai.openai": ["azure", "openai"],
        "vertex_ai": ["vertex_ai", "gemini"],
        // Gateway and SDK spellings.
        "google": ["gemini", "vertex_ai"],
        "google_genai": ["gemini", "vertex_ai"],
        "google-genai": ["gemini", "vertex_ai"],
        "google_ai_studio": ["gemini"],
        "vertex": ["vertex_ai", "gemini"],
        "vertexai": ["vertex_ai", "gemini"],
        "google_vertex_ai": ["vertex_ai", "gemini"],
        "azure": ["azure", "openai"],
        "azure_openai": ["azure", "openai"],
        "azure-openai": ["azure", "openai"],
        "azure_ai": ["azure_ai"],
        "bedrock": ["bedrock"],
        "bedrock_converse": ["bedrock"],
        "amazon_bedrock": ["bedrock"],
        "amazon-bedrock": ["bedrock"],
        "aws_bedrock": ["bedrock"],
        "xai": ["xai"],
        "x-ai": ["xai"],
        "grok": ["xai"],
        "mistral": ["mistral"],
        "mistralai": ["mistral"],
        "claude": ["anthropic"],
        "gemini": ["gemini", "vertex_ai"],
    ])

    /// These aliases with `overrides` applied: each replaces the entry of its name; an empty
    /// list removes it.
    public func merging(_ overrides: [String: [String]]) -> ProviderAliases {
        var table = self.table
        for (name, providers) in overrides {
            table[name.lowercased()] = providers.isEmpty ? nil : providers
        }
        return ProviderAliases(table)
    }

    /// The catalogue providers to try for an event's provider, in order: the name as
    /// reported, then in lower case, then its aliases; empty for an event without a provider.
    public func chain(for provider: String) -> [String] {
        guard !provider.isEmpty else { return [] }
        let lower = provider.lowercased()
        var chain = [provider]
        for name in [lower] + (table[lower] ?? []) where !chain.contains(name) { chain.append(name) }
        return chain
    }
}
