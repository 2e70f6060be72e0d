import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlineCore

/// The fixtures made by `Fixtures/otlp/make_fixtures.py` with the OpenTelemetry Python SDK,
/// decoded and compared with the events written down in `expected.json`.
@Suite("OTLP: SDK-made fixtures")
struct OTLPFixtureTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/DriftlineCoreTests/Fixtures/otlp")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The expected events, built from `expected.json` (absent keys are the defaults).
    static func expected() throws -> (events: [LLMEvent], nonLLM: [String: Int]) {
        let object = try JSONSerialization.jsonObject(with: Data(try bytes("expected.json"))) as? [String: Any] ?? [:]
        let events = (object["events"] as? [[String: Any]] ?? []).map { e -> LLMEvent in
            func micros(_ key: String) -> EventTime? {
                (e[key] as? NSNumber).map { EventTime(microsecondsSinceEpoch: $0.int64Value) }
            }
            let tokens = (e["tokens"] as? [String: Any] ?? [:]).mapValues { ($0 as? NSNumber)?.int64Value ?? 0 }
            return LLMEvent(
                requestID: e["request_id"] as? String, traceID: e["trace_id"] as? String,
                spanID: e["span_id"] as? String, start: micros("start")!, firstToken: micros("first_token"),
                end: micros("end")!, model: e["model"] as! String, provider: e["provider"] as? String ?? "",
                dimensions: EventDimensions(
                    app: e["app"] as? String ?? "", tenant: e["tenant"] as? String ?? "",
                    user: e["user"] as? String ?? "", environment: e["environment"] as? String ?? "",
                    modelVersion: e["model_version"] as? String ?? "", labels: e["labels"] as? [String: String] ?? [:]),
                tokens: TokenCounts(
                    input: tokens["input"] ?? 0, output: tokens["output"] ?? 0,
                    cachedInput: tokens["cached_input"] ?? 0,
                    cacheWrite: tokens["cache_write"] ?? 0, reasoning: tokens["reasoning"] ?? 0),
                status: e["status"] as? String == "error" ? .error : .ok, errorType: e["error_type"] as? String,
                httpStatus: (e["http_status"] as? NSNumber)?.intValue, finishReason: e["finish_reason"] as? String,
                prompt: e["prompt"] as? String, response: e["response"] as? String, context: e["context"] as? [String])
        }
        return (
            events, (object["non_llm_spans"] as? [String: Any] ?? [:]).mapValues { ($0 as? NSNumber)?.intValue ?? 0 }
        )
    }

    static func sorted(_ events: [LLMEvent]) -> [LLMEvent] {
        events.sorted { ($0.start, $0.spanID ?? "") < ($1.start, $1.spanID ?? "") }
    }

    static func operationCounts(_ spans: [OTLPSpanSummary]) -> [String: Int] {
        spans.reduce(into: [:]) { $0[$1.operation, default: 0] += 1 }
    }

    @Test func protobufBatchGivesTheExpectedEvents() throws {
        let (expected, nonLLM) = try Self.expected()
        #expect(expected.count == 7)
        let batch = try OTLPDecoder(encoding: .protobuf).decode(try Self.bytes("batch.pb"))
        let events = Self.sorted(batch.events)
        #expect(events.count == expected.count)
        for (got, want) in zip(events, expected) {
            #expect(got == want, "span \(want.spanID ?? "")")
        }
        #expect(Self.operationCounts(batch.otherSpans) == nonLLM)
        #expect(batch.otherSpans.first { $0.operation == "other" }?.app == "search")
    }

    @Test func jsonBatchGivesTheSameEventsAsProtobuf() throws {
        let proto = try OTLPDecoder(encoding: .protobuf).decode(try Self.bytes("batch.pb"))
        let json = try OTLPDecoder(encoding: .json).decode(try Self.bytes("batch.json"))
        #expect(json.events.count == 7)
        #expect(json == proto)
    }

    @Test func oneTraceOrOneSpanPerMessageGivesTheSameEvents() throws {
        let decoder = OTLPDecoder(encoding: .protobuf)
        var events: [LLMEvent] = []
        var others: [OTLPSpanSummary] = []
        for index in 0..<4 {
            let batch = try decoder.decode(try Self.bytes("trace-\(index).pb"))
            events += batch.events
            others += batch.otherSpans
        }
        let whole = try decoder.decode(try Self.bytes("batch.pb"))
        #expect(Self.sorted(events) == Self.sorted(whole.events))
        #expect(Set(others) == Set(whole.otherSpans))
        let single = try decoder.decode(try Self.bytes("span.pb"))
        #expect(single.events.map(\.model) == ["text-embedding-3-small"])
        #expect(single.otherSpans.isEmpty)
    }

    @Test func withoutTextNoPromptResponseOrContextIsKept() throws {
        let batch = try OTLPDecoder(encoding: .protobuf, keepText: false).decode(try Self.bytes("batch.pb"))
        #expect(batch.events.count == 7)
        #expect(batch.events.allSatisfy { $0.prompt == nil && $0.response == nil && $0.context == nil })
    }

    @Test(arguments: [
        ("bad-kind.pb", DecodeError.Code.unknownEnumValue, "kind 9 is not a SpanKind"),
        ("bad-status.pb", .unknownEnumValue, "status.code 7 is not a StatusCode"),
        ("bad-trace-id.pb", .invalidID, "trace_id must be 16 bytes, got 15"),
        ("bad-span-id.pb", .invalidID, "span_id must be 8 bytes, got 9"),
        ("bad-end-before-start.pb", .invalidValue, "is before start"),
    ])
    func brokenSpansAreRejectedWithAReason(file: String, code: DecodeError.Code, reason: String) throws {
        let record = try Self.bytes(file)
        let error = #expect(throws: DecodeError.self) { try OTLPDecoder(encoding: .protobuf).decode(record) }
        #expect(error?.code == code)
        #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("resourceSpans[0].scopeSpans[0].spans[0]") == true)
    }

    @Test func garbageAndTheWrongEncodingAreRejected() throws {
        let proto = OTLPDecoder(encoding: .protobuf)
        let json = OTLPDecoder(encoding: .json)
        var truncated = try Self.bytes("batch.pb")
        truncated.removeLast(7)
        #expect(throws: DecodeError.self) { try proto.decode(truncated) }
        do {
            _ = try proto.decode(truncated)
        } catch {
            #expect(error.code == .malformedProtobuf)
            #expect(error.reason.contains("truncated"))
        }
        let jsonBytes = try Self.bytes("batch.json")
        let protoBytes = try Self.bytes("batch.pb")
        do {
            _ = try proto.decode(jsonBytes)
            Issue.record("JSON accepted on a protobuf topic")
        } catch {
            #expect(error.code == .wrongEncoding)
        }
        do {
            _ = try json.decode(protoBytes)
            Issue.record("protobuf accepted on a JSON topic")
        } catch {
            #expect(error.code == .wrongEncoding)
        }
        do {
            _ = try json.decode(Array(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":1}]}]}]}"#.utf8))
            Issue.record("a number as the span name was accepted")
        } catch {
            #expect(error.code == .malformedJSON)
        }
        #expect(throws: DecodeError.self) { try proto.decode([]) }
        let small = OTLPDecoder(encoding: .protobuf, maxRecordBytes: 100)
        do {
            _ = try small.decode(protoBytes)
            Issue.record("an oversized record was accepted")
        } catch {
            #expect(error.code == .oversized)
        }
    }
}
