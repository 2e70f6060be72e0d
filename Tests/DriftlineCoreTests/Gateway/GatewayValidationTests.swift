import Foundation
import Testing

@testable import DriftlineCore

/// Bad gateway records fail with a code, the field and a reason that says what is wrong.
@Suite("Gateway validation")
struct GatewayValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var record: [UInt8]
        var code: DecodeError.Code
        var field: String?
        var reasonContains: String
        var testDescription: String { name }
    }

    static let liteLLMCases: [Case] = [
        Case(
            name: "not JSON", record: Array(#"{"status": "success",}"#.utf8), code: .malformedJSON, field: nil,
            reasonContains: "expected a string key"),
        Case(name: "empty", record: [], code: .empty, field: nil, reasonContains: "empty"),
        Case(
            name: "an array", record: Array("[1]".utf8), code: .notAnObject, field: nil,
            reasonContains: "must be a JSON object"),
        Case(
            name: "truncated", record: Array(liteLLMPayload().prefix(120)), code: .truncated, field: "endTime",
            reasonContains: "truncated"),
        Case(
            name: "trailing data", record: liteLLMPayload() + Array(" {}".utf8), code: .trailingData, field: nil,
            reasonContains: "after the JSON object"),
        Case(
            name: "no status", record: liteLLMPayload(removing: ["status"]), code: .missingField, field: "status",
            reasonContains: "status is required"),
        Case(
            name: "unknown status", record: liteLLMPayload(["status": "partial"]), code: .invalidValue, field: "status",
            reasonContains: #"got "partial""#),
        Case(
            name: "a native request log",
            record: Array(#"{"model":"m","start":1764072000000,"end":1764072001000}"#.utf8),
            code: .missingField, field: "status", reasonContains: "not a LiteLLM StandardLoggingPayload"),
        Case(
            name: "no startTime", record: liteLLMPayload(removing: ["startTime"]), code: .missingField,
            field: "startTime", reasonContains: "startTime is required"),
        Case(
            name: "startTime as a string", record: liteLLMPayload(["startTime": "2026-11-25T12:00:00Z"]),
            code: .wrongType, field: "startTime", reasonContains: "seconds since the epoch"),
        Case(
            name: "endTime out of range", record: liteLLMPayload(["endTime": 1e300]), code: .invalidValue,
            field: "endTime", reasonContains: "must be between"),
        Case(
            name: "end before start", record: liteLLMPayload(["endTime": 1_764_071_999.0]), code: .invalidValue,
            field: "endTime", reasonContains: "is before startTime"),
        Case(
            name: "first token after end",
            record: liteLLMPayload(["stream": true, "completionStartTime": 1_764_072_009.0]), code: .invalidValue,
            field: "completionStartTime", reasonContains: "outside [startTime, endTime]"),
        Case(
            name: "no model", record: liteLLMPayload(removing: ["model"]), code: .missingField, field: "model",
            reasonContains: "model is required"),
        Case(
            name: "empty model", record: liteLLMPayload(["model": ""]), code: .missingField, field: "model",
            reasonContains: "model is required"),
        Case(
            name: "tokens as a string", record: liteLLMPayload(["prompt_tokens": "10"]), code: .wrongType,
            field: "prompt_tokens", reasonContains: "non-negative integer"),
        Case(
            name: "negative tokens", record: liteLLMPayload(["completion_tokens": -3]), code: .invalidValue,
            field: "completion_tokens", reasonContains: "got -3"),
        Case(
            name: "fractional tokens", record: liteLLMPayload(["completion_tokens": 2.5]), code: .invalidValue,
            field: "completion_tokens", reasonContains: "got 2.5"),
        Case(
            name: "cached above prompt",
            record: liteLLMPayload(["response": ["usage": ["prompt_tokens_details": ["cached_tokens": 11]]]]),
            code: .invalidValue, field: "response.usage.prompt_tokens_details.cached_tokens",
            reasonContains: "exceeds prompt_tokens (10)"),
        Case(
            name: "cache read + write above prompt",
            record: liteLLMPayload([
                "response": [
                    "usage": ["prompt_tokens_details": ["cached_tokens": 6], "cache_creation_input_tokens": 5]
                ]
            ]),
            code: .invalidValue, field: "response.usage.cache_creation_input_tokens",
            reasonContains: "exceeds prompt_tokens (10)"),
        Case(
            name: "reasoning above completion",
            record: liteLLMPayload(["response": ["usage": ["completion_tokens_details": ["reasoning_tokens": 21]]]]),
            code: .invalidValue, field: "response.usage.completion_tokens_details.reasoning_tokens",
            reasonContains: "exceeds completion_tokens (20)"),
        Case(
            name: "metadata usage_object checked too",
            record: liteLLMPayload([
                "response": NSNull(), "metadata": ["usage_object": ["prompt_tokens_details": ["cached_tokens": 99]]],
            ]),
            code: .invalidValue, field: "metadata.usage_object.prompt_tokens_details.cached_tokens",
            reasonContains: "exceeds prompt_tokens"),
        Case(
            name: "tag not a string", record: liteLLMPayload(["request_tags": ["a", 3]]), code: .wrongType,
            field: "request_tags[1]", reasonContains: "must be a string"),
        Case(
            name: "metadata not an object", record: liteLLMPayload(["metadata": "x"]), code: .wrongType,
            field: "metadata", reasonContains: "an object or null"),
        Case(
            name: "team id a number", record: liteLLMPayload(["metadata": ["user_api_key_team_id": 7]]),
            code: .wrongType, field: "metadata.user_api_key_team_id", reasonContains: "a string or null"),
        Case(
            name: "cache_hit a string", record: liteLLMPayload(["cache_hit": "yes"]), code: .wrongType,
            field: "cache_hit", reasonContains: "true, false or null"),
        Case(
            name: "duplicate key",
            record: Array(
                String(decoding: liteLLMPayload(), as: UTF8.self).replacingOccurrences(
                    of: #"{"cache_hit""#, with: #"{"model":"x","cache_hit""#
                ).utf8),
            code: .duplicateKey, field: "model", reasonContains: "duplicate key \"model\""),
        Case(
            name: "invalid UTF-8", record: Array(#"{"model":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
            code: .invalidUTF8, field: "model",
            reasonContains: "invalid UTF-8"),
    ]

    @Test(arguments: liteLLMCases)
    func badLiteLLMPayloads(_ testCase: Case) throws {
        switch liteLLMResult(testCase.record) {
        case .success(let event):
            Issue.record("decoded into \(event)")
        case .failure(let error):
            #expect(error.code == testCase.code, "\(error.reason)")
            #expect(error.field == testCase.field, "\(error.reason)")
            #expect(error.reason.contains(testCase.reasonContains), "\(error.reason)")
        }
    }

    @Test func oversizedRecordsAreRejectedBeforeParsing() {
        let error = Result { () throws(DecodeError) in
            try LiteLLMDecoder(maxRecordBytes: 100).decode(liteLLMPayload())
        }
        guard case .failure(let error) = error else {
            Issue.record("decoded")
            return
        }
        #expect(error.code == .oversized)
        #expect(error.reason.contains("over the 100-byte limit"))
    }

    static let openAICases: [Case] = [
        Case(
            name: "bare chat.completion",
            record: Array(
                #"{"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"gpt-4o","choices":[]}"#
                    .utf8),
            code: .missingField, field: "start",
            reasonContains: "bare chat.completion object, which carries no request timing"),
        Case(
            name: "no end", record: Array(#"{"start":1764072000000,"response":{"model":"gpt-4o"}}"#.utf8),
            code: .missingField, field: "end", reasonContains: "end is required"),
        Case(
            name: "no response", record: Array(#"{"start":1764072000000,"end":1764072001000}"#.utf8),
            code: .missingField, field: "response", reasonContains: "response is required"),
        Case(
            name: "no model anywhere",
            record: Array(#"{"start":1764072000000,"end":1764072001000,"response":{"id":"x"}}"#.utf8),
            code: .missingField,
            field: "request.model", reasonContains: "request.model or response.model"),
        Case(
            name: "bad timestamp",
            record: Array(#"{"start":"2026-13-01T00:00:00Z","end":1764072001000,"response":{"model":"m"}}"#.utf8),
            code: .invalidValue, field: "start", reasonContains: "month 13"),
        Case(
            name: "end before start",
            record: Array(#"{"start":1764072001000,"end":1764072000000,"response":{"model":"m"}}"#.utf8),
            code: .invalidValue, field: "end", reasonContains: "is before start"),
        Case(
            name: "first token outside",
            record: Array(
                #"{"start":1764072000000,"first_token":1764072002000,"end":1764072001000,"response":{"model":"m"}}"#
                    .utf8),
            code: .invalidValue, field: "first_token", reasonContains: "outside [start, end]"),
        Case(
            name: "http status out of range",
            record: Array(
                #"{"start":1764072000000,"end":1764072001000,"http_status":42,"response":{"model":"m"}}"#.utf8),
            code: .invalidValue, field: "http_status", reasonContains: "100...599, got 42"),
        Case(
            name: "response a string",
            record: Array(#"{"start":1764072000000,"end":1764072001000,"response":"hello"}"#.utf8), code: .wrongType,
            field: "response", reasonContains: "an object or null"),
        Case(
            name: "cached above prompt",
            record: Array(
                #"{"start":1764072000000,"end":1764072001000,"response":{"model":"m","usage":{"prompt_tokens":5,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":6}}}}"#
                    .utf8),
            code: .invalidValue, field: "response.usage.prompt_tokens_details.cached_tokens",
            reasonContains: "exceeds prompt_tokens (5)"),
        Case(
            name: "label not a string",
            record: Array(
                #"{"start":1764072000000,"end":1764072001000,"labels":{"a":1},"response":{"model":"m"}}"#.utf8),
            code: .wrongType, field: "labels.a", reasonContains: "must be a string"),
        Case(
            name: "duplicate usage",
            record: Array(
                #"{"start":1764072000000,"end":1764072001000,"response":{"model":"m","usage":{},"usage":{}}}"#.utf8),
            code: .duplicateKey, field: "response.usage", reasonContains: "duplicate key"),
    ]

    @Test(arguments: openAICases)
    func badOpenAIChatRecords(_ testCase: Case) throws {
        switch openAIChatResult(testCase.record) {
        case .success(let event):
            Issue.record("decoded into \(event)")
        case .failure(let error):
            #expect(error.code == testCase.code, "\(error.reason)")
            #expect(error.field == testCase.field, "\(error.reason)")
            #expect(error.reason.contains(testCase.reasonContains), "\(error.reason)")
        }
    }

    /// Cut anywhere, a real payload is an error, never a crash or a different event.
    @Test func everyPrefixOfAFixtureIsRejected() throws {
        let bytes = try GatewayFixtures.bytes("litellm-failure-rate-limit.json")
        for length in stride(from: 0, to: bytes.count - 1, by: 7) {
            if case .success = liteLLMResult(Array(bytes.prefix(length))) {
                Issue.record("a \(length)-byte prefix decoded")
            }
        }
    }
}
