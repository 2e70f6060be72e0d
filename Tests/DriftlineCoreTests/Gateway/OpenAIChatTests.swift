import Foundation
import Testing

@testable import DriftlineCore

/// The `openai_chat` format: OpenAI's documented chat completion object (and error body),
/// wrapped with timing. Expected values are read from the fixtures with Foundation.
@Suite("OpenAI chat completions")
struct OpenAIChatTests {
    @Test func theDocumentedCompletionDecodesWithCachedAndReasoningTokens() throws {
        let record = try GatewayFixtures.object("openai-chat-wrapped.json")
        let completion = try #require(record["response"] as? [String: Any])
        let usage = try #require(completion["usage"] as? [String: Any])
        let promptDetails = try #require(usage["prompt_tokens_details"] as? [String: Any])
        let completionDetails = try #require(usage["completion_tokens_details"] as? [String: Any])
        let choice = try #require((completion["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        let request = try #require(record["request"] as? [String: Any])
        func int(_ object: [String: Any], _ key: String) -> Int64 { (object[key] as? NSNumber)?.int64Value ?? -1 }

        let event = try openAIChatResult(try GatewayFixtures.bytes("openai-chat-wrapped.json")).get()
        #expect(event.requestID == completion["id"] as? String)
        #expect(event.model == request["model"] as? String)
        #expect(event.dimensions.modelVersion == completion["model"] as? String)
        #expect(event.provider == "openai")
        #expect(
            event.tokens
                == TokenCounts(
                    input: int(usage, "prompt_tokens"), output: int(usage, "completion_tokens"),
                    cachedInput: int(promptDetails, "cached_tokens"),
                    reasoning: int(completionDetails, "reasoning_tokens")))
        #expect(event.tokens.cachedInput > 0 && event.tokens.reasoning > 0, "the fixture covers both details")
        #expect(event.tokens.total == int(usage, "total_tokens"))
        #expect(event.finishReason == choice["finish_reason"] as? String)
        #expect(event.response == message["content"] as? String)
        #expect(jsonText(event.prompt, equals: request["messages"]))
        #expect(event.dimensions.user == request["user"] as? String)
        #expect(event.dimensions.app == "support-bot" && event.dimensions.environment == "prod")
        #expect(event.dimensions.labels == ["region": "eu-west-1"])
        #expect(event.status == .ok && event.errorType == nil && event.httpStatus == nil)
        #expect(event.start == EventTime(rfc3339: try #require(record["start"] as? String)))
        #expect(event.firstToken == EventTime(rfc3339: try #require(record["first_token"] as? String)))
        #expect(event.end == EventTime(rfc3339: try #require(record["end"] as? String)))
        #expect(event.ttftMilliseconds == 290)
        #expect(event.latencyMilliseconds == 1760)
    }

    @Test func theDocumentedErrorBodyMakesAnErrorEvent() throws {
        let record = try GatewayFixtures.object("openai-chat-error-wrapped.json")
        let body = try #require((record["response"] as? [String: Any])?["error"] as? [String: Any])
        let event = try openAIChatResult(try GatewayFixtures.bytes("openai-chat-error-wrapped.json")).get()
        #expect(event.status == .error)
        #expect(event.errorType == body["code"] as? String)
        #expect(event.httpStatus == 429)
        #expect(event.provider == "azure")
        #expect(event.model == "o3-mini" && event.dimensions.modelVersion == "")
        #expect(event.tokens == TokenCounts())
        #expect(event.response == nil && event.finishReason == nil && event.requestID == nil)
        #expect(event.start == EventTime(microsecondsSinceEpoch: 1_764_072_000_120_000))
        #expect(event.end == EventTime(microsecondsSinceEpoch: 1_764_072_000_245_500))
    }

    /// Mapping rows not covered by the fixtures.
    @Test func errorTypeFallsBackToTheErrorTypeThenTheHTTPStatus() throws {
        let typed = try openAIChatResult(
            Array(
                #"{"start":1764072000000,"end":1764072001000,"request":{"model":"m"},"response":{"error":{"type":"server_error","code":null}}}"#
                    .utf8)
        ).get()
        #expect(typed.errorType == "server_error" && typed.status == .error)
        let byStatus = try openAIChatResult(
            Array(#"{"start":1764072000000,"end":1764072001000,"http_status":503,"response":{"model":"m"}}"#.utf8)
        ).get()
        #expect(byStatus.status == .error && byStatus.errorType == "http_503" && byStatus.httpStatus == 503)
        let ok = try openAIChatResult(
            Array(#"{"start":1764072000000,"end":1764072001000,"http_status":200,"response":{"model":"m"}}"#.utf8)
        ).get()
        #expect(ok.status == .ok && ok.httpStatus == 200)
    }

    @Test func responseModelIsTheModelWhenTheRequestIsNotLogged() throws {
        let event = try openAIChatResult(
            Array(#"{"start":1764072000000,"end":1764072001000,"response":{"model":"gpt-4o-2024-08-06"}}"#.utf8)
        ).get()
        #expect(event.model == "gpt-4o-2024-08-06" && event.dimensions.modelVersion == "gpt-4o-2024-08-06")
    }

    @Test func wrapperDimensionsAndIDs() throws {
        let event = try openAIChatResult(
            Array(
                #"{"start":1764072000000,"end":1764072001000,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","route":"/v1/answer","tenant":"acme","team":"support","user":"u1","request":{"model":"m","user":"u2"},"response":{"model":"m"}}"#
                    .utf8)
        ).get()
        #expect(event.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && event.spanID == "00f067aa0ba902b7")
        #expect(event.dimensions.route == "/v1/answer" && event.dimensions.tenant == "acme")
        #expect(event.dimensions.team == "support")
        #expect(event.dimensions.user == "u1", "the wrapper's user wins over the request's")
    }

    @Test func contentPartsAreKeptAsTheirJSON() throws {
        let event = try openAIChatResult(
            Array(
                #"{"start":1764072000000,"end":1764072001000,"response":{"model":"m","choices":[{"message":{"content":[{"type":"text","text":"hi"}]}},{"message":{"content":"second"}}]}}"#
                    .utf8)
        ).get()
        #expect(jsonText(event.response, equals: [["type": "text", "text": "hi"]]))
    }
}
