import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlineCore

/// The examples on the gateway logs page (docs/gateways.md) decode into what its tables say they do.
@Suite("Gateway documentation examples")
struct GatewayDocumentationTests {
    static func example(_ info: String) throws -> String {
        let page = try String(
            contentsOf: repositoryRoot.appendingPathComponent("docs/gateways.md"), encoding: .utf8)
        let blocks = page.components(separatedBy: "```json \(info)\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        try #require(blocks.count == 1, "one ```json \(info) block in docs/gateways.md")
        return blocks[0]
    }

    @Test func theLiteLLMExampleDecodesAsTheTableSays() throws {
        let event = try liteLLMResult(Array(try Self.example("litellm").utf8)).get()
        #expect(event.requestID == "chatcmpl-529f8873")
        #expect(event.traceID == "5c171e58-d196-42f5-b309-c862cf67fdde")
        #expect(event.start.rfc3339 == "2025-11-25T12:00:00.120211Z")
        #expect(event.latencyMilliseconds == 1760.264)
        #expect(event.ttftMilliseconds == 289.823)
        #expect(event.model == "claude-sonnet")
        #expect(event.provider == "anthropic")
        #expect(event.dimensions.modelVersion == "claude-sonnet-4-20250514")
        #expect(event.tokens == TokenCounts(input: 1233, output: 393, cachedInput: 1024, cacheWrite: 188, reasoning: 0))
        #expect(event.status == .ok && event.errorType == nil && event.httpStatus == nil)
        #expect(event.finishReason == "stop")
        #expect(jsonText(event.prompt, equals: [["role": "user", "content": "What is the refund policy?"]]))
        #expect(event.response == "Refunds within 30 days.")
        #expect(event.dimensions.app == "support-bot")
        #expect(event.dimensions.route == "/chat/completions")
        #expect(event.dimensions.tenant == "acme")
        #expect(event.dimensions.team == "team-support")
        #expect(event.dimensions.user == "u_8841")
        #expect(event.dimensions.environment == "prod")
        #expect(
            event.dimensions.labels == [
                "deployment_model": "claude-sonnet-4-20250514", "team_alias": "Support", "key_user_id": "u_owner_17",
                "api_key_hash": "88dc28d0f030c55e", "region": "eu-west-1",
                "request_tags": "environment:prod,region:eu-west-1,beta", "session_id": "conv-77",
                "call_type": "acompletion",
            ])
    }

    @Test func theOpenAIExampleDecodesAsTheTableSays() throws {
        let event = try openAIChatResult(Array(try Self.example("openai_chat").utf8)).get()
        #expect(event.latencyMilliseconds == 1760)
        #expect(event.ttftMilliseconds == 290)
        #expect(event.model == "o3-mini")
        #expect(event.dimensions.modelVersion == "o3-mini-2025-01-31")
        #expect(event.requestID == "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG")
        #expect(event.provider == "openai")
        #expect(event.tokens == TokenCounts(input: 1117, output: 246, cachedInput: 1024, reasoning: 192))
        #expect(event.finishReason == "stop")
        #expect(event.response == "Open Settings, then Security.")
        #expect(event.dimensions.user == "u_8841")
        #expect(event.dimensions.app == "support-bot" && event.dimensions.environment == "prod")
        #expect(event.dimensions.labels == ["region": "eu-west-1"])
    }
}
