import Foundation
import Testing

@testable import DriftlineCore

/// One test per row of the GenAI mapping table in docs/otlp.md: a one-span OTLP/JSON record with the
/// attribute, decoded, and the field it must fill.
@Suite("OTLP: GenAI mapping rows")
struct OTLPMappingTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let spanID = "00f067aa0ba902b7"
    /// 2025-11-25T12:00:00Z and one second later, in nanoseconds.
    static let startNanos: Int64 = 1_764_072_000_000_000_000
    static let start = EventTime(microsecondsSinceEpoch: 1_764_072_000_000_000)
    static let end = EventTime(microsecondsSinceEpoch: 1_764_072_001_000_000)

    static func s(_ text: String) -> String { #"{"stringValue":\#(jsonString(text))}"# }
    static func i(_ value: Int64) -> String { #"{"intValue":"\#(value)"}"# }
    static func d(_ value: Double) -> String { #"{"doubleValue":\#(value)}"# }
    static func strings(_ values: [String]) -> String {
        #"{"arrayValue":{"values":[\#(values.map(s).joined(separator: ","))]}}"#
    }
    /// A JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { #"{"key":\#(jsonString($0.0)),"value":\#($0.1)}"# }.joined(separator: ",")
    }

    /// One resource, one span (1 s long), with the given attributes.
    static func record(
        _ span: [(String, String)], resource: [(String, String)] = [], extra: String = "", traceID: String = traceID
    ) -> [UInt8] {
        Array(
            #"""
            {"resourceSpans":[{"resource":{"attributes":[\#(attributes(resource))]},"scopeSpans":[{"spans":[{
             "traceId":"\#(traceID)","spanId":"\#(spanID)","name":"chat","kind":3,
             "startTimeUnixNano":"\#(startNanos)","endTimeUnixNano":"\#(startNanos + 1_000_000_000)",
             "attributes":[\#(attributes(span))]\#(extra)}]}]}]}
            """#.utf8)
    }

    static let chat = [("gen_ai.operation.name", s("chat")), ("gen_ai.request.model", s("gpt-4o"))]

    static func event(
        _ span: [(String, String)], resource: [(String, String)] = [], extra: String = "",
        mapping: GenAIMapping = GenAIMapping()
    ) throws -> LLMEvent {
        let batch = try OTLPDecoder(encoding: .json, mapping: mapping).decode(
            record(span, resource: resource, extra: extra))
        guard let event = batch.events.first, batch.events.count == 1 else {
            throw DecodeError(.missingField, reason: "expected one event, got \(batch.events.count)")
        }
        return event
    }

    static func failure(_ span: [(String, String)], extra: String = "", traceID: String = traceID) -> DecodeError? {
        do {
            _ = try OTLPDecoder(encoding: .json).decode(record(span, extra: extra, traceID: traceID))
            return nil
        } catch {
            return error
        }
    }

    @Test func operationNameDecidesModelCallOrCountedSpan() throws {
        let e = try Self.event(Self.chat)
        #expect(e.dimensions.labels["operation"] == "chat")
        #expect(e.traceID == Self.traceID && e.spanID == Self.spanID)
        #expect(e.start == Self.start && e.end == Self.end)
        for operation in ["embeddings", "text_completion", "generate_content"] {
            let batch = try OTLPDecoder(encoding: .json).decode(
                Self.record([("gen_ai.operation.name", Self.s(operation)), ("gen_ai.request.model", Self.s("m"))]))
            #expect(batch.events.count == 1, "\(operation) is a model call")
        }
        for operation in ["execute_tool", "invoke_agent", "create_agent", "retrieval"] {
            let batch = try OTLPDecoder(encoding: .json).decode(
                Self.record([("gen_ai.operation.name", Self.s(operation)), ("gen_ai.request.model", Self.s("m"))]))
            #expect(batch.events.isEmpty)
            #expect(batch.otherSpans.map(\.operation) == [operation])
        }
        let plain = try OTLPDecoder(encoding: .json).decode(Self.record([("http.route", Self.s("/x"))]))
        #expect(plain.otherSpans.map(\.operation) == ["other"])
    }

    @Test func legacyRequestTypeIsTheOperation() throws {
        let e = try Self.event([("llm.request.type", Self.s("completion")), ("gen_ai.request.model", Self.s("m"))])
        #expect(e.dimensions.labels["operation"] == "text_completion")
        let noOperation = try Self.event([("gen_ai.request.model", Self.s("m"))])
        #expect(
            noOperation.dimensions.labels["operation"] == nil, "a span with a model but no operation is a model call")
    }

    @Test func providerNameThenOlderSystem() throws {
        #expect(try Self.event(Self.chat + [("gen_ai.provider.name", Self.s("openai"))]).provider == "openai")
        #expect(try Self.event(Self.chat + [("gen_ai.system", Self.s("Anthropic"))]).provider == "anthropic")
        let both = try Self.event(
            Self.chat + [("gen_ai.system", Self.s("x")), ("gen_ai.provider.name", Self.s("aws.bedrock"))])
        #expect(both.provider == "aws.bedrock")
    }

    @Test func requestAndResponseModel() throws {
        let e = try Self.event(Self.chat + [("gen_ai.response.model", Self.s("gpt-4o-2024-08-06"))])
        #expect(e.model == "gpt-4o" && e.dimensions.modelVersion == "gpt-4o-2024-08-06")
        let responseOnly = try Self.event([("gen_ai.response.model", Self.s("llama"))])
        #expect(responseOnly.model == "llama" && responseOnly.dimensions.modelVersion == "llama")
        #expect(Self.failure([("gen_ai.operation.name", Self.s("chat"))])?.code == .missingField)
    }

    @Test func usageTokensAndTheirLegacyNames() throws {
        let current = try Self.event(
            Self.chat + [
                ("gen_ai.usage.input_tokens", Self.i(100)), ("gen_ai.usage.output_tokens", Self.i(40)),
                ("gen_ai.usage.cache_read.input_tokens", Self.i(60)),
                ("gen_ai.usage.cache_creation.input_tokens", Self.i(30)),
                ("gen_ai.usage.reasoning.output_tokens", Self.i(25)),
            ])
        #expect(current.tokens == TokenCounts(input: 100, output: 40, cachedInput: 60, cacheWrite: 30, reasoning: 25))
        let legacy = try Self.event(
            Self.chat + [
                ("gen_ai.usage.prompt_tokens", Self.i(100)), ("gen_ai.usage.completion_tokens", Self.i(40)),
                ("gen_ai.usage.cache_read_input_tokens", Self.i(60)),
                ("gen_ai.usage.cache_creation_input_tokens", Self.i(30)),
                ("gen_ai.usage.reasoning_tokens", Self.i(25)),
            ])
        #expect(legacy.tokens == current.tokens)
        let total = try Self.event(
            Self.chat + [("gen_ai.usage.prompt_tokens", Self.i(100)), ("llm.usage.total_tokens", Self.i(140))])
        #expect(total.tokens.output == 40)
        let doubles = try Self.event(Self.chat + [("gen_ai.usage.input_tokens", Self.d(12))])
        #expect(doubles.tokens.input == 12, "integral doubles (JavaScript exporters) are counts")
    }

    @Test func providersWhoseInputExcludesTheCacheAreNormalised() throws {
        var mapping = GenAIMapping()
        mapping.inputTokensExcludeCache = ["anthropic"]
        let usage = [
            ("gen_ai.usage.input_tokens", Self.i(100)), ("gen_ai.usage.output_tokens", Self.i(40)),
            ("gen_ai.usage.cache_read.input_tokens", Self.i(300)),
            ("gen_ai.usage.cache_creation.input_tokens", Self.i(50)),
        ]
        let anthropic = try Self.event(
            Self.chat + usage + [("gen_ai.provider.name", Self.s("anthropic"))], mapping: mapping)
        #expect(anthropic.tokens == TokenCounts(input: 450, output: 40, cachedInput: 300, cacheWrite: 50))
        // Any other provider keeps the conventions' meaning, so these counts contradict each other.
        let other = Self.record(Self.chat + usage + [("gen_ai.provider.name", Self.s("openai"))])
        #expect(throws: DecodeError.self) { try OTLPDecoder(encoding: .json, mapping: mapping).decode(other) }
    }

    @Test func inconsistentTokensAreRejected() {
        let cached = Self.failure(
            Self.chat + [
                ("gen_ai.usage.input_tokens", Self.i(10)), ("gen_ai.usage.cache_read.input_tokens", Self.i(11)),
            ])
        #expect(cached?.code == .invalidValue)
        #expect(cached?.reason.contains("must include cached tokens") == true)
        let reasoning = Self.failure(
            Self.chat + [
                ("gen_ai.usage.output_tokens", Self.i(5)), ("gen_ai.usage.reasoning.output_tokens", Self.i(6)),
            ])
        #expect(reasoning?.code == .invalidValue)
        #expect(Self.failure(Self.chat + [("gen_ai.usage.input_tokens", Self.i(-1))])?.code == .invalidValue)
        let wrongType = Self.failure(Self.chat + [("gen_ai.usage.input_tokens", Self.s("12"))])
        #expect(wrongType?.code == .wrongType)
        #expect(wrongType?.field?.hasSuffix(#"attributes["gen_ai.usage.input_tokens"]"#) == true)
    }

    @Test func responseIDAndVLLMRequestID() throws {
        #expect(try Self.event(Self.chat + [("gen_ai.response.id", Self.s("chatcmpl-1"))]).requestID == "chatcmpl-1")
        #expect(try Self.event(Self.chat + [("gen_ai.request.id", Self.s("cmpl-9"))]).requestID == "cmpl-9")
    }

    @Test func finishReasons() throws {
        let array = try Self.event(Self.chat + [("gen_ai.response.finish_reasons", Self.strings(["length", "stop"]))])
        #expect(array.finishReason == "length")
        let legacy = try Self.event(Self.chat + [("gen_ai.completion.0.finish_reason", Self.s("stop"))])
        #expect(legacy.finishReason == "stop")
    }

    @Test(arguments: [
        "gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token",
        "gen_ai.latency.time_to_first_token",
    ])
    func timeToFirstTokenAttributes(key: String) throws {
        let e = try Self.event(Self.chat + [(key, Self.d(0.25))])
        #expect(e.ttftMilliseconds == 250)
        let late = Self.failure(Self.chat + [(key, Self.d(2))])
        #expect(late?.code == .invalidValue, "a first token after the end")
        #expect(Self.failure(Self.chat + [(key, Self.d(-0.1))])?.code == .invalidValue)
    }

    @Test func timePerOutputTokenGivesTheFirstToken() throws {
        let e = try Self.event(
            Self.chat + [
                ("gen_ai.usage.output_tokens", Self.i(11)), ("gen_ai.server.time_per_output_token", Self.d(0.02)),
            ])
        #expect(e.tpotMilliseconds == 20)
        #expect(e.ttftMilliseconds == 800)
    }

    @Test func vllmEndToEndLatency() throws {
        let e = try Self.event(Self.chat + [("gen_ai.latency.e2e", Self.d(0.5))])
        #expect(e.latencyMilliseconds == 500)
    }

    @Test(arguments: ["gen_ai.first_token", "gen_ai.content.first_token"])
    func firstTokenSpanEvent(name: String) throws {
        let e = try Self.event(
            Self.chat,
            extra: #","events":[{"name":"other","timeUnixNano":"\#(Self.startNanos + 100_000_000)"},"#
                + #"{"name":"\#(name)","timeUnixNano":"\#(Self.startNanos + 300_000_000)"}]"#)
        #expect(e.ttftMilliseconds == 300)
        let unnamed = try Self.event(
            Self.chat, extra: #","events":[{"name":"other","timeUnixNano":"\#(Self.startNanos + 100_000_000)"}]"#)
        #expect(unnamed.firstToken == nil)
    }

    @Test func conversationIDBecomesALabel() throws {
        let e = try Self.event(Self.chat + [("gen_ai.conversation.id", Self.s("conv-1"))])
        #expect(e.dimensions.labels["conversation_id"] == "conv-1")
    }

    @Test func errorTypeStatusAndHTTPStatus() throws {
        let typed = try Self.event(Self.chat + [("error.type", Self.s("timeout"))])
        #expect(typed.status == .error && typed.errorType == "timeout")
        let status = try Self.event(Self.chat, extra: #","status":{"code":2,"message":"boom"}"#)
        #expect(status.status == .error && status.errorType == nil)
        let ok = try Self.event(Self.chat, extra: #","status":{"code":1}"#)
        #expect(ok.status == .ok)
        #expect(try Self.event(Self.chat + [("http.response.status_code", Self.i(429))]).httpStatus == 429)
        #expect(try Self.event(Self.chat + [("http.status_code", Self.i(503))]).httpStatus == 503)
        #expect(Self.failure(Self.chat + [("http.response.status_code", Self.i(700))])?.code == .invalidValue)
    }

    @Test func resourceServiceAndEnvironment() throws {
        let e = try Self.event(
            Self.chat + [("gen_ai.application_name", Self.s("fallback"))],
            resource: [("service.name", Self.s("support-bot")), ("deployment.environment.name", Self.s("prod"))])
        #expect(e.dimensions.app == "support-bot" && e.dimensions.environment == "prod")
        let older = try Self.event(Self.chat, resource: [("deployment.environment", Self.s("staging"))])
        #expect(older.dimensions.environment == "staging")
        let openlit = try Self.event(
            Self.chat + [("gen_ai.application_name", Self.s("rag")), ("gen_ai.environment", Self.s("dev"))])
        #expect(openlit.dimensions.app == "rag" && openlit.dimensions.environment == "dev")
        let spanWins = try Self.event(
            Self.chat + [("service.name", Self.s("span-level"))], resource: [("service.name", Self.s("resource-level"))]
        )
        #expect(spanWins.dimensions.app == "span-level")
    }

    @Test func tenantUserAndTeam() throws {
        let e = try Self.event(
            Self.chat + [("tenant.id", Self.s("acme")), ("enduser.id", Self.s("u-2")), ("team.id", Self.i(7))])
        #expect(e.dimensions.tenant == "acme" && e.dimensions.user == "u-2" && e.dimensions.team == "7")
        #expect(
            try Self.event(Self.chat + [("user.id", Self.s("u-1")), ("enduser.id", Self.s("u-2"))]).dimensions.user
                == "u-1")
    }

    @Test func indexedPromptAndCompletionContent() throws {
        let e = try Self.event(
            Self.chat + [
                ("gen_ai.prompt.1.content", Self.s("second")), ("gen_ai.prompt.0.content", Self.s("first")),
                ("gen_ai.prompt.0.role", Self.s("user")), ("gen_ai.completion.0.content", Self.s("answer")),
            ])
        #expect(e.prompt == "first\nsecond")
        #expect(e.response == "answer")
    }

    @Test func retrievalDocumentsAreTheContextOfLaterCallsInTheTrace() throws {
        let retrieval = #"""
            {"traceId":"\#(Self.traceID)","spanId":"1111111111111111","name":"retrieve","kind":1,
             "startTimeUnixNano":"\#(Self.startNanos - 50_000_000)","endTimeUnixNano":"\#(Self.startNanos - 10_000_000)",
             "attributes":[\#(Self.attributes([
                ("gen_ai.operation.name", Self.s("retrieval")),
                ("retrieval.documents.1.document.content", Self.s("doc b")),
                ("retrieval.documents.0.document.content", Self.s("doc a"))]))]},
            """#
        var text = String(decoding: Self.record(Self.chat), as: UTF8.self)
        text = text.replacingOccurrences(of: #""spans":[{"#, with: #""spans":["# + retrieval + "{")
        let batch = try OTLPDecoder(encoding: .json).decode(Array(text.utf8))
        #expect(batch.events.first?.context == ["doc a", "doc b"])
        #expect(batch.otherSpans.map(\.operation) == ["retrieval"])
        let otherTrace = text.replacingOccurrences(
            of: #""traceId":"\#(Self.traceID)","spanId":"1111"#,
            with: #""traceId":"ffffffffffffffffffffffffffffffff","spanId":"1111"#)
        #expect(try OTLPDecoder(encoding: .json).decode(Array(otherTrace.utf8)).events.first?.context == nil)
    }

    @Test func customAttributeNames() throws {
        var mapping = GenAIMapping()
        mapping.tenant = ["app.customer"]
        mapping.model = ["llm.model_name"]
        mapping.labels["region"] = ["cloud.region"]
        let e = try Self.event(
            [
                ("gen_ai.operation.name", Self.s("chat")), ("llm.model_name", Self.s("custom")),
                ("app.customer", Self.s("globex")), ("tenant.id", Self.s("ignored")),
            ],
            resource: [("cloud.region", Self.s("eu-west-1"))], mapping: mapping)
        #expect(e.model == "custom" && e.dimensions.tenant == "globex" && e.dimensions.labels["region"] == "eu-west-1")
    }

    @Test func jsonIDsMustBeHex() {
        let base64 = Self.failure(Self.chat, traceID: "S/kvNXezTaajzpKdDg5HNg==")
        #expect(base64?.code == .invalidID)
        #expect(base64?.reason.contains("hex, not base64") == true)
        #expect(Self.failure(Self.chat, traceID: "4bf92f3577b34da6a3ce929d0e0e47")?.code == .invalidID)
        #expect(Self.failure(Self.chat, traceID: "4bf92f3577b34da6a3ce929d0e0e473g")?.code == .invalidID)
        let upper = try? Self.event(Self.chat + [], extra: "")
        #expect(upper?.traceID == Self.traceID)
    }

    @Test func unknownEnumNumbersInJSON() {
        let kind = String(decoding: Self.record(Self.chat), as: UTF8.self).replacingOccurrences(
            of: #""kind":3"#, with: #""kind":42"#)
        do {
            _ = try OTLPDecoder(encoding: .json).decode(Array(kind.utf8))
            Issue.record("kind 42 accepted")
        } catch {
            #expect(
                error.code == .unknownEnumValue && error.reason.contains("kind 42"), "\(error.code): \(error.reason)")
        }
    }
}
