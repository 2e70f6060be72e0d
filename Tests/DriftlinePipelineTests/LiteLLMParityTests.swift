import DriftlineCore
import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlinePipeline

/// Driftline's cost, from the default catalogue (pipelines/prices.yaml, generated from the same
/// LiteLLM price map), against `litellm.cost_per_token` for the usage records in
/// Fixtures/litellm_parity.json (made by Fixtures/make_litellm_parity.py, litellm 1.110.2).
///
/// Tolerance: 10⁻¹² USD per request (a hundred-millionth of a cent). LiteLLM sums binary
/// floats, so its figure carries rounding error of order 10⁻¹⁷ relative; Driftline's is exact.
@Suite("LiteLLM parity")
struct LiteLLMParityTests {

    static let tolerance = Money(units: 1_000_000_000_000)  // 10⁻¹² USD

    @Test func costsEqualLiteLLMs() throws {
        let fixture = repositoryRoot.appendingPathComponent("Tests/DriftlinePipelineTests/Fixtures/litellm_parity.json")
        let data = try Data(contentsOf: fixture)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let records = try #require(document["records"] as? [[String: Any]])
        let catalogue = try PriceCatalogue.load(
            file: repositoryRoot.appendingPathComponent("pipelines/prices.yaml").path)
        #expect(records.count >= 200)
        var models = Set<String>()
        var worst = Money.zero
        let start = EventTime(rfc3339: "2026-12-01T12:00:00Z") ?? .epoch
        for record in records {
            let provider = try #require(record["provider"] as? String)
            let model = try #require(record["model"] as? String)
            let usage = try #require(record["usage"] as? [String: Any])
            models.insert(model)
            let tokens = try Self.tokens(provider: provider, usage: usage)
            let event = LLMEvent(start: start, end: start, model: model, provider: provider, tokens: tokens)
            let cost = try #require(catalogue.cost(of: event), "\(provider) \(model) is not priced")
            let expected = try Money(decimal: try #require(record["litellm_cost"] as? String))
            let difference = cost > expected ? cost - expected : expected - cost
            worst = max(worst, difference)
            #expect(
                difference <= Self.tolerance,
                "\(provider) \(model) \(usage): driftline \(cost) litellm \(expected)")
        }
        #expect(models.count >= 20)
        print("LiteLLM parity: \(records.count) records, \(models.count) models, largest difference \(worst) USD")
    }

    static func tokens(provider: String, usage: [String: Any]) throws -> TokenCounts {
        func int(_ object: [String: Any], _ key: String) -> Int64 { (object[key] as? NSNumber)?.int64Value ?? 0 }
        switch provider {
        case "anthropic":
            let creation = usage["cache_creation"] as? [String: Any] ?? [:]
            return try ProviderUsage.anthropic(
                inputTokens: int(usage, "input_tokens"), outputTokens: int(usage, "output_tokens"),
                cacheReadInputTokens: int(usage, "cache_read_input_tokens"),
                cacheCreationInputTokens: int(usage, "cache_creation_input_tokens"),
                ephemeral5mInputTokens: int(creation, "ephemeral_5m_input_tokens"),
                ephemeral1hInputTokens: int(creation, "ephemeral_1h_input_tokens"))
        case "gemini":
            return try ProviderUsage.gemini(
                promptTokenCount: int(usage, "promptTokenCount"),
                candidatesTokenCount: int(usage, "candidatesTokenCount"),
                cachedContentTokenCount: int(usage, "cachedContentTokenCount"),
                thoughtsTokenCount: int(usage, "thoughtsTokenCount"))
        default:
            let prompt = usage["prompt_tokens_details"] as? [String: Any] ?? [:]
            let completion = usage["completion_tokens_details"] as? [String: Any] ?? [:]
            return try ProviderUsage.openAI(
                promptTokens: int(usage, "prompt_tokens"), completionTokens: int(usage, "completion_tokens"),
                cachedTokens: int(prompt, "cached_tokens"), reasoningTokens: int(completion, "reasoning_tokens"))
        }
    }
}
