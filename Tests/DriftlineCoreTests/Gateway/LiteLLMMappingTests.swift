import Foundation
import Testing

@testable import DriftlineCore

/// A small valid payload with `members` merged over it (Foundation writes the JSON), for one
/// mapping row at a time. Times are binary-exact fractions so the written text is exact.
func liteLLMPayload(_ members: [String: Any] = [:], removing: [String] = []) -> [UInt8] {
    var payload: [String: Any] = [
        "id": "chatcmpl-1", "trace_id": "5c171e58-d196-42f5-b309-c862cf67fdde", "status": "success",
        "stream": false, "custom_llm_provider": "openai", "model": "gpt-4o", "model_group": "",
        "startTime": 1_764_072_000.25, "completionStartTime": 1_764_072_001.5, "endTime": 1_764_072_001.5,
        "prompt_tokens": 10, "completion_tokens": 20, "cache_hit": false, "request_tags": [String](),
        "metadata": ["user_api_key_hash": NSNull()], "messages": [["role": "user", "content": "hi"]],
        "response": [
            "id": "chatcmpl-1", "model": "gpt-4o-2024-08-06", "object": "chat.completion",
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": "Hello"]]],
            "usage": ["prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30],
        ],
        "error_information": NSNull(),
    ]
    for (key, value) in members { payload[key] = value }
    for key in removing { payload[key] = nil }
    return Array((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data())
}

func liteLLMEvent(_ members: [String: Any] = [:], removing: [String] = []) throws -> LLMEvent {
    try liteLLMResult(liteLLMPayload(members, removing: removing)).get()
}

/// One test per row of the LiteLLM mapping table in docs/gateways.md.
@Suite("LiteLLM mapping")
struct LiteLLMMappingTests {
    @Test func idAndTraceID() throws {
        let event = try liteLLMEvent()
        #expect(event.requestID == "chatcmpl-1")
        #expect(event.traceID == "5c171e58-d196-42f5-b309-c862cf67fdde")
        let empty = try liteLLMEvent(["trace_id": "", "id": NSNull()])
        #expect(empty.traceID == nil && empty.requestID == nil)
    }

    /// Epoch seconds are read exactly in decimal and floored to microseconds.
    @Test func startAndEndTimeAreEpochSecondsToTheMicrosecond() throws {
        let text = String(decoding: liteLLMPayload(), as: UTF8.self)
        for (written, micros) in [
            ("1764072000.123456", 1_764_072_000_123_456), ("1764072000.1234567", 1_764_072_000_123_456),
            ("1.764072000123456e9", 1_764_072_000_123_456), ("1764072000", 1_764_072_000_000_000),
        ] as [(String, Int64)] {
            let record = text.replacingOccurrences(of: "\"startTime\":1764072000.25", with: "\"startTime\":\(written)")
            #expect(record != text)
            let event = try liteLLMResult(Array(record.utf8)).get()
            #expect(event.start.microsecondsSinceEpoch == micros, "\(written)")
        }
        let event = try liteLLMEvent()
        #expect(event.end.microsecondsSinceEpoch == 1_764_072_001_500_000)
        #expect(event.latencyMilliseconds == 1250)
    }

    /// LiteLLM sets completionStartTime = endTime for calls that did not stream, so only a
    /// streamed call has a first token.
    @Test func completionStartTimeIsTheFirstTokenOnlyWhenStreamed() throws {
        #expect(try liteLLMEvent().firstToken == nil)
        #expect(try liteLLMEvent(["stream": NSNull()]).firstToken == nil)
        let streamed = try liteLLMEvent(["stream": true, "completionStartTime": 1_764_072_000.5])
        #expect(streamed.firstToken?.microsecondsSinceEpoch == 1_764_072_000_500_000)
        #expect(streamed.ttftMilliseconds == 250)
        #expect(streamed.tpotMilliseconds == 1000.0 / 19)
    }

    @Test func modelGroupIsTheModelAndTheDeploymentALabel() throws {
        #expect(try liteLLMEvent().model == "gpt-4o")
        let grouped = try liteLLMEvent(["model_group": "chat-default", "model": "gpt-4o"])
        #expect(grouped.model == "chat-default")
        #expect(grouped.dimensions.labels["deployment_model"] == "gpt-4o")
        let same = try liteLLMEvent(["model_group": "gpt-4o"])
        #expect(same.dimensions.labels["deployment_model"] == nil)
    }

    @Test func theProviderPrefixIsNotPartOfTheModelName() throws {
        let event = try liteLLMEvent([
            "model": "anthropic/claude-sonnet-4-20250514", "custom_llm_provider": "anthropic",
        ])
        #expect(event.model == "claude-sonnet-4-20250514")
        #expect(event.provider == "anthropic")
        // Only the payload's own provider is stripped: a slash of another meaning stays.
        let other = try liteLLMEvent(["model": "openrouter/meta-llama/llama-3", "custom_llm_provider": "openai"])
        #expect(other.model == "openrouter/meta-llama/llama-3")
    }

    @Test func customLLMProviderIsTheProvider() throws {
        #expect(try liteLLMEvent(["custom_llm_provider": "bedrock"]).provider == "bedrock")
        #expect(try liteLLMEvent(["custom_llm_provider": NSNull()]).provider == "")
    }

    @Test func responseModelIsTheModelVersion() throws {
        #expect(try liteLLMEvent().dimensions.modelVersion == "gpt-4o-2024-08-06")
        #expect(try liteLLMEvent(["response": NSNull()]).dimensions.modelVersion == "")
    }

    @Test func openAIUsageDetailsGiveCachedAndReasoningTokens() throws {
        let event = try liteLLMEvent([
            "prompt_tokens": 2006, "completion_tokens": 300,
            "response": [
                "usage": [
                    "prompt_tokens": 2006, "completion_tokens": 300,
                    "prompt_tokens_details": ["cached_tokens": 1920, "audio_tokens": 0],
                    "completion_tokens_details": ["reasoning_tokens": 256],
                ]
            ],
        ])
        #expect(event.tokens == TokenCounts(input: 2006, output: 300, cachedInput: 1920, reasoning: 256))
    }

    /// LiteLLM's Anthropic usage: prompt_tokens = input + cache read + cache write.
    @Test func anthropicCacheWritesAreCountedOnceInsidePromptTokens() throws {
        let usage: [String: Any] = [
            "prompt_tokens": 1233, "completion_tokens": 393,
            "prompt_tokens_details": ["cached_tokens": 1024, "cache_creation_tokens": 188],
            "cache_creation_input_tokens": 188, "cache_read_input_tokens": 1024,
        ]
        let event = try liteLLMEvent(["prompt_tokens": 1233, "completion_tokens": 393, "response": ["usage": usage]])
        #expect(event.tokens == TokenCounts(input: 1233, output: 393, cachedInput: 1024, cacheWrite: 188))
        // Only the details object carrying the write count (no top-level field) is enough.
        var detailsOnly = usage
        detailsOnly["cache_creation_input_tokens"] = nil
        let fromDetails = try liteLLMEvent([
            "prompt_tokens": 1233, "completion_tokens": 393, "response": ["usage": detailsOnly],
        ])
        #expect(fromDetails.tokens.cacheWrite == 188)
    }

    @Test func metadataUsageObjectIsTheFallbackForTheDetails() throws {
        let event = try liteLLMEvent([
            "response": NSNull(), "prompt_tokens": 100, "completion_tokens": 50,
            "metadata": [
                "usage_object": [
                    "prompt_tokens": 100, "completion_tokens": 50, "prompt_tokens_details": ["cached_tokens": 64],
                    "completion_tokens_details": ["reasoning_tokens": 10],
                ]
            ],
        ])
        #expect(event.tokens == TokenCounts(input: 100, output: 50, cachedInput: 64, reasoning: 10))
    }

    /// The payload's totals are LiteLLM's own fields and win; the usage object gives the parts.
    @Test func promptAndCompletionTokensAreTheTotals() throws {
        let event = try liteLLMEvent(["prompt_tokens": 12, "completion_tokens": 34])
        #expect(event.tokens.input == 12 && event.tokens.output == 34)
        let absent = try liteLLMEvent(["response": NSNull()], removing: ["prompt_tokens", "completion_tokens"])
        #expect(absent.tokens == TokenCounts())
        #expect(try liteLLMEvent(["prompt_tokens": 12.0]).tokens.input == 12)
    }

    @Test func statusErrorInformationAndHTTPStatus() throws {
        #expect(try liteLLMEvent().status == .ok)
        let failed = try liteLLMEvent([
            "status": "failure", "response": [String: Any](),
            "error_information": [
                "error_code": "429", "error_class": "RateLimitError", "normalized_error": "429_RATE_LIMIT_EXCEEDED",
            ],
        ])
        #expect(failed.status == .error)
        #expect(failed.errorType == "RateLimitError")
        #expect(failed.httpStatus == 429)
        #expect(failed.response == nil && failed.finishReason == nil)
        let normalized = try liteLLMEvent([
            "status": "failure",
            "error_information": ["error_code": "", "error_class": "", "normalized_error": "TIMEOUT"],
        ])
        #expect(normalized.errorType == "TIMEOUT" && normalized.httpStatus == nil)
        let numeric = try liteLLMEvent(["status": "failure", "error_information": ["error_code": 503]])
        #expect(numeric.httpStatus == 503 && numeric.errorType == nil)
        // A success carries LiteLLM's empty error_information; nothing of it is an error.
        let success = try liteLLMEvent(["error_information": ["error_code": "", "error_class": ""]])
        #expect(success.errorType == nil && success.httpStatus == nil)
    }

    @Test func keyMetadataBecomesDimensionsAndLabels() throws {
        let event = try liteLLMEvent([
            "metadata": [
                "user_api_key_hash": "88dc28d0", "user_api_key_alias": "support-bot",
                "user_api_key_team_id": "team-support", "user_api_key_team_alias": "Support",
                "user_api_key_org_id": "acme", "user_api_key_user_id": "u_owner_17",
                "user_api_key_end_user_id": "end-7", "user_api_key_request_route": "/chat/completions",
            ]
        ])
        #expect(event.dimensions.app == "support-bot")
        #expect(event.dimensions.team == "team-support")
        #expect(event.dimensions.tenant == "acme")
        #expect(event.dimensions.user == "end-7")
        #expect(event.dimensions.route == "/chat/completions")
        #expect(
            event.dimensions.labels == [
                "api_key_hash": "88dc28d0", "team_alias": "Support", "key_user_id": "u_owner_17",
            ])
        let fallback = try liteLLMEvent(["metadata": ["team_id": "t2", "team_alias": "Two"]])
        #expect(fallback.dimensions.team == "t2" && fallback.dimensions.labels["team_alias"] == "Two")
    }

    @Test func endUserIsTheUser() throws {
        let event = try liteLLMEvent(["end_user": "customer-9", "metadata": ["user_api_key_end_user_id": "other"]])
        #expect(event.dimensions.user == "customer-9")
    }

    @Test func requestTagsBecomeLabelsAndTheEnvironment() throws {
        let event = try liteLLMEvent(["request_tags": ["environment:prod", "region:eu-west-1", "beta", "region:us"]])
        #expect(event.dimensions.environment == "prod")
        #expect(
            event.dimensions.labels == [
                "region": "eu-west-1", "request_tags": "environment:prod,region:eu-west-1,beta,region:us",
            ])
    }

    @Test func sessionIDIsALabel() throws {
        #expect(try liteLLMEvent(["session_id": "conv-1"]).dimensions.labels["session_id"] == "conv-1")
        #expect(try liteLLMEvent(["session_id": ""]).dimensions.labels["session_id"] == nil)
    }

    @Test func callTypeIsALabel() throws {
        #expect(try liteLLMEvent(["call_type": "aembedding"]).dimensions.labels["call_type"] == "aembedding")
        #expect(try liteLLMEvent().dimensions.labels["call_type"] == nil)
    }

    /// A response served from LiteLLM's cache consumed no provider tokens.
    @Test func aCacheHitHasNoTokensAndIsLabelled() throws {
        let event = try liteLLMEvent(["cache_hit": true, "prompt_tokens": 10, "completion_tokens": 20])
        #expect(event.tokens == TokenCounts())
        #expect(event.dimensions.labels["cache_hit"] == "true")
        #expect(try liteLLMEvent().dimensions.labels["cache_hit"] == nil)
    }

    @Test func messagesArePromptVerbatimAndTheResponseIsTheFirstChoicesText() throws {
        let event = try liteLLMEvent([
            "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "hi"]]
        ])
        #expect(
            jsonText(
                event.prompt, equals: [["role": "system", "content": "Be brief."], ["role": "user", "content": "hi"]]))
        #expect(event.response == "Hello")
        #expect(event.finishReason == "stop")
        let plain = try liteLLMEvent(["messages": "Summarise this.", "response": "Summary."])
        #expect(plain.prompt == "Summarise this." && plain.response == "Summary.")
        let text = String(decoding: liteLLMPayload(), as: UTF8.self)
        let event2 = try liteLLMResult(Array(text.utf8)).get()
        #expect(event2.prompt.map { text.contains($0) } == true, "the messages' JSON text exactly as written")
    }
}
