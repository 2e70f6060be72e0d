public import DriftlineCore

/// The `otlp:` section: custom attribute names for the GenAI mapping. Each list replaces the
/// default list of that field (see the README's mapping table for the defaults):
///
/// ```yaml
/// otlp:
///   attributes:
///     tenant: [app.customer_id]           # instead of tenant.id
///     model: [llm.model_name, gen_ai.request.model]
///   labels:
///     region: [cloud.region]              # label "region" from a span or resource attribute
///   llm_operations: [chat, embeddings]    # operations that are model calls
///   first_token_events: [first_token]
/// ```
public struct OTLPSettings: Codable, Sendable, Equatable {
    public var attributes: [String: [String]] = [:]
    public var labels: [String: [String]] = [:]
    public var llmOperations: [String]?
    public var firstTokenEvents: [String]?
    /// Providers whose `gen_ai.usage.input_tokens` excludes cache reads and writes (Anthropic-style).
    public var inputTokensExcludeCache: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case attributes, labels
        case llmOperations = "llm_operations"
        case firstTokenEvents = "first_token_events"
        case inputTokensExcludeCache = "input_tokens_exclude_cache"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        attributes = try container.decodeIfPresent([String: [String]].self, forKey: .attributes) ?? [:]
        labels = try container.decodeIfPresent([String: [String]].self, forKey: .labels) ?? [:]
        llmOperations = try container.decodeIfPresent([String].self, forKey: .llmOperations)
        firstTokenEvents = try container.decodeIfPresent([String].self, forKey: .firstTokenEvents)
        inputTokensExcludeCache = try container.decodeIfPresent([String].self, forKey: .inputTokensExcludeCache)
    }

    /// The attribute fields that `attributes:` may set, by their YAML names.
    static var fields: [String: WritableKeyPath<GenAIMapping, [String]>] {
        [
            "operation": \.operation, "model": \.model, "model_version": \.modelVersion, "provider": \.provider,
            "request_id": \.requestID, "input_tokens": \.inputTokens, "output_tokens": \.outputTokens,
            "total_tokens": \.totalTokens, "cached_input_tokens": \.cachedInputTokens,
            "cache_write_tokens": \.cacheWriteTokens, "reasoning_tokens": \.reasoningTokens,
            "finish_reason": \.finishReason, "time_to_first_token": \.timeToFirstTokenSeconds,
            "time_per_output_token": \.timePerOutputTokenSeconds, "end_to_end": \.endToEndSeconds,
            "error_type": \.errorType, "http_status": \.httpStatus, "app": \.app, "environment": \.environment,
            "route": \.route, "tenant": \.tenant, "user": \.user, "team": \.team,
        ]
    }

    /// The mapping these settings describe; an unknown field fails with the key.
    public func mapping(file: String? = nil) throws -> GenAIMapping {
        var mapping = GenAIMapping()
        let fields = Self.fields
        for (name, keys) in attributes.sorted(by: { $0.key < $1.key }) {
            guard let path = fields[name] else {
                throw ConfigurationError(
                    file: file, key: "otlp.attributes.\(name)",
                    "unknown field; expected one of: \(fields.keys.sorted().joined(separator: ", "))")
            }
            mapping[keyPath: path] = keys
        }
        for (label, keys) in labels {
            if label == "operation" {
                throw ConfigurationError(
                    file: file, key: "otlp.labels.operation", "is set from the operation name; choose another label")
            }
            mapping.labels[label] = keys
        }
        if let llmOperations { mapping.llmOperations = Set(llmOperations) }
        if let firstTokenEvents { mapping.firstTokenEvents = firstTokenEvents }
        if let inputTokensExcludeCache {
            mapping.inputTokensExcludeCache = Set(inputTokensExcludeCache.map { $0.lowercased() })
        }
        return mapping
    }
}
