/// Which span and resource attributes become which `LLMEvent` field (the README's "OTLP GenAI
/// spans" table). Every list is in priority order: the first key present wins, and for each key
/// the span's own attribute is looked at before the resource's. The defaults cover the OpenTelemetry
/// GenAI semantic conventions and the variants instrumentations emit in the wild (OpenLLMetry,
/// OpenLIT, vLLM, OpenInference); a pipeline can replace any list for custom attribute names.
public struct GenAIMapping: Sendable, Equatable {
    public var operation = ["gen_ai.operation.name", "llm.request.type"]
    public var model = ["gen_ai.request.model", "gen_ai.response.model"]
    public var modelVersion = ["gen_ai.response.model"]
    public var provider = ["gen_ai.provider.name", "gen_ai.system"]
    public var requestID = ["gen_ai.response.id", "gen_ai.request.id"]
    public var inputTokens = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]
    public var outputTokens = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"]
    /// Used only to fill in input or output when one of them is missing.
    public var totalTokens = ["llm.usage.total_tokens", "gen_ai.usage.total_tokens"]
    public var cachedInputTokens = ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"]
    public var cacheWriteTokens = [
        "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
    ]
    public var reasoningTokens = ["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens"]
    /// A string array (the first reason is kept) or a single string.
    public var finishReason = ["gen_ai.response.finish_reasons", "gen_ai.completion.0.finish_reason"]
    /// Seconds from the span start to the first output token.
    public var timeToFirstTokenSeconds = [
        "gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token",
        "gen_ai.latency.time_to_first_token",
    ]
    /// Seconds per output token after the first; gives the first token when no TTFT is reported.
    public var timePerOutputTokenSeconds = ["gen_ai.server.time_per_output_token"]
    /// Seconds from start to the end of the response, when the span's own end is not it (vLLM).
    public var endToEndSeconds = ["gen_ai.latency.e2e"]
    /// Span events whose time is the first token's arrival.
    public var firstTokenEvents = ["gen_ai.first_token", "gen_ai.content.first_token"]
    public var errorType = ["error.type"]
    public var httpStatus = ["http.response.status_code", "http.status_code"]
    public var app = ["service.name", "gen_ai.application_name"]
    public var environment = ["deployment.environment.name", "deployment.environment", "gen_ai.environment"]
    public var route: [String] = []
    public var tenant = ["tenant.id"]
    public var user = ["user.id", "enduser.id"]
    public var team = ["team.id"]
    /// Label name → attribute keys. The operation name is always the label `operation`.
    public var labels = ["conversation_id": ["gen_ai.conversation.id"]]
    /// `PREFIX<n>SUFFIX` attributes, joined with newlines in `n` order: prompt and response text.
    public var promptContent = IndexedAttribute(prefix: "gen_ai.prompt.", suffix: ".content")
    public var responseContent = IndexedAttribute(prefix: "gen_ai.completion.", suffix: ".content")
    /// Documents of retrieval spans, which become the context of later LLM calls in the trace.
    public var retrievalDocuments = IndexedAttribute(prefix: "retrieval.documents.", suffix: ".document.content")
    /// Operations that are model calls and become `LLMEvent`s; every other operation is counted.
    public var llmOperations: Set<String> = ["chat", "text_completion", "generate_content", "embeddings"]
    /// Providers whose instrumentation copies the provider's own `input_tokens`, which (like
    /// Anthropic's) excludes cache reads and writes, into `gen_ai.usage.input_tokens`: for them
    /// the input total is normalised with `ProviderUsage.anthropic`. Empty by default, as the
    /// conventions define `gen_ai.usage.input_tokens` to include cached tokens.
    public var inputTokensExcludeCache: Set<String> = []
    /// Older `llm.request.type` values → operation names.
    public var operationAliases = ["completion": "text_completion", "embedding": "embeddings"]

    public init() {}

    /// `gen_ai.prompt.0.content`, `gen_ai.prompt.1.content`, …: an index between a prefix and a suffix.
    public struct IndexedAttribute: Sendable, Equatable {
        public var prefix: String
        public var suffix: String
        public init(prefix: String, suffix: String) {
            self.prefix = prefix
            self.suffix = suffix
        }
    }
}
