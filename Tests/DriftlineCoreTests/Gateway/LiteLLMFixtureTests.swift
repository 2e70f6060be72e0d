import Foundation
import Testing

@testable import DriftlineCore

/// Payloads the `litellm` package produced (success, streaming, failure, Anthropic prompt
/// cache, cache hit) decode into the events `make_litellm_fixtures.py` computed for them with
/// its own implementation of the mapping in docs/gateways.md.
@Suite("LiteLLM fixtures")
struct LiteLLMFixtureTests {
    static let cases = [
        "success-openai-cached-reasoning", "streaming-success", "failure-rate-limit", "anthropic-prompt-cache",
        "gemini-thinking-cache", "cache-hit",
    ]

    @Test(arguments: cases)
    func decodesIntoTheExpectedEvent(_ name: String) throws {
        let expectedAll = try GatewayFixtures.object("litellm-expected.json")
        let expected = try #require(expectedAll[name] as? [String: Any])
        let event = try liteLLMResult(try GatewayFixtures.bytes("litellm-\(name).json")).get()

        func string(_ key: String) -> String? { expected[key] as? String }
        func int(_ key: String) -> Int64? { (expected[key] as? NSNumber)?.int64Value }

        #expect(event.requestID == string("request_id"))
        #expect(event.traceID == string("trace_id"))
        #expect(event.spanID == nil)
        #expect(event.start.microsecondsSinceEpoch == int("start_us"))
        #expect(event.firstToken?.microsecondsSinceEpoch == int("first_token_us"))
        #expect(event.end.microsecondsSinceEpoch == int("end_us"))
        #expect(event.model == string("model"))
        #expect(event.provider == string("provider"))
        #expect(event.dimensions.app == string("app"))
        #expect(event.dimensions.route == string("route"))
        #expect(event.dimensions.tenant == string("tenant"))
        #expect(event.dimensions.user == string("user"))
        #expect(event.dimensions.team == string("team"))
        #expect(event.dimensions.environment == string("environment"))
        #expect(event.dimensions.modelVersion == string("model_version"))
        #expect(event.dimensions.labels == expected["labels"] as? [String: String])
        let tokens = try #require(expected["tokens"] as? [String: NSNumber])
        #expect(
            event.tokens
                == TokenCounts(
                    input: tokens["input"]?.int64Value ?? -1, output: tokens["output"]?.int64Value ?? -1,
                    cachedInput: tokens["cached_input"]?.int64Value ?? -1,
                    cacheWrite: tokens["cache_write"]?.int64Value ?? -1,
                    reasoning: tokens["reasoning"]?.int64Value ?? -1))
        #expect(event.status.rawValue == string("status"))
        #expect(event.errorType == string("error_type"))
        #expect(event.httpStatus.map(Int64.init) == int("http_status"))
        #expect(event.finishReason == string("finish_reason"))
        if let prompt = expected["prompt"] as? String {
            #expect(event.prompt == prompt)
        } else {
            #expect(jsonText(event.prompt, equals: expected["prompt"] is NSNull ? nil : expected["prompt"]))
        }
        #expect(event.response == string("response"))
        #expect(event.context == nil && event.embedding == nil && event.feedback == nil)
    }

    /// The pipeline decodes without text: the same event, text fields nil.
    @Test(arguments: cases)
    func withoutTextTheMetricsAreTheSame(_ name: String) throws {
        let bytes = try GatewayFixtures.bytes("litellm-\(name).json")
        var full = try liteLLMResult(bytes).get()
        let lean = try liteLLMResult(bytes, keepText: false).get()
        #expect(lean.prompt == nil && lean.response == nil)
        full.prompt = nil
        full.response = nil
        #expect(lean == full)
    }

    /// The cases the fixtures were made to cover are what they cover (so a regenerated
    /// fixture that lost, say, its cached tokens fails here rather than passing vacuously).
    @Test func theFixturesCoverWhatTheyClaim() throws {
        let reasoning = try liteLLMResult(try GatewayFixtures.bytes("litellm-success-openai-cached-reasoning.json"))
            .get()
        #expect(reasoning.tokens.cachedInput > 0 && reasoning.tokens.reasoning > 0)
        let streamed = try liteLLMResult(try GatewayFixtures.bytes("litellm-streaming-success.json")).get()
        #expect(streamed.firstToken != nil && streamed.ttftMilliseconds ?? 0 > 0)
        let failed = try liteLLMResult(try GatewayFixtures.bytes("litellm-failure-rate-limit.json")).get()
        #expect(failed.status == .error && failed.httpStatus == 429 && failed.errorType == "RateLimitError")
        // The providers' own usage objects, as the mock servers sent them, normalised by
        // ProviderUsage: LiteLLM's OpenAI-shaped payload must give the same counts.
        let anthropic = try liteLLMResult(try GatewayFixtures.bytes("litellm-anthropic-prompt-cache.json")).get()
        #expect(
            anthropic.tokens
                == (try ProviderUsage.anthropic(
                    inputTokens: 21, outputTokens: 393, cacheReadInputTokens: 1024, cacheCreationInputTokens: 188)))
        #expect(anthropic.tokens == TokenCounts(input: 1233, output: 393, cachedInput: 1024, cacheWrite: 188))
        let gemini = try liteLLMResult(try GatewayFixtures.bytes("litellm-gemini-thinking-cache.json")).get()
        #expect(
            gemini.tokens
                == (try ProviderUsage.gemini(
                    promptTokenCount: 1200, candidatesTokenCount: 40, cachedContentTokenCount: 1024,
                    thoughtsTokenCount: 100)))
        #expect(gemini.tokens == TokenCounts(input: 1200, output: 140, cachedInput: 1024, reasoning: 100))
        let hit = try liteLLMResult(try GatewayFixtures.bytes("litellm-cache-hit.json")).get()
        #expect(hit.dimensions.labels["cache_hit"] == "true" && hit.tokens == TokenCounts())
    }
}
