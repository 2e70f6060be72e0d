import Testing

@testable import DriftlineCore

/// `OTLPEncoder` (what `driftline generate` sends) read back by `OTLPDecoder`, both encodings.
@Suite("OTLP: encoder round trip")
struct OTLPEncoderTests {
    static let start = EventTime(microsecondsSinceEpoch: 1_764_072_000_123_456)
    static let events = [
        LLMEvent(
            requestID: "req-1", start: start, firstToken: start.advanced(byMicroseconds: 289_001),
            end: start.advanced(byMicroseconds: 1_500_000), model: "gpt-4o", provider: "openai",
            dimensions: EventDimensions(
                app: "chat", tenant: "acme", user: "u-1", team: "core", environment: "prod",
                modelVersion: "gpt-4o-2026-06", labels: ["operation": "chat", "conversation_id": "c-9"]),
            tokens: TokenCounts(input: 900, output: 250, cachedInput: 450, cacheWrite: 10, reasoning: 40),
            httpStatus: 200, finishReason: "stop"),
        LLMEvent(
            start: start, end: start.advanced(byMicroseconds: 30_000_000), model: "claude-sonnet-4",
            provider: "anthropic",
            dimensions: EventDimensions(app: "search", environment: "staging", labels: ["operation": "chat"]),
            tokens: TokenCounts(input: 10), status: .error, errorType: "timeout", httpStatus: 504),
    ]

    @Test(arguments: [OTLPDecoder.Encoding.protobuf, .json])
    func encodedSpansDecodeToTheSameEvents(encoding: OTLPDecoder.Encoding) throws {
        let bytes = OTLPEncoder(encoding: encoding).encode(Self.events, idSeed: 7)
        let batch = try OTLPDecoder(encoding: encoding).decode(bytes)
        #expect(batch.events.count == 2)
        for (got, want) in zip(batch.events, Self.events) {
            var expected = want
            expected.traceID = got.traceID
            expected.spanID = got.spanID
            #expect(got == expected)
            #expect(got.traceID?.utf8.count == 32 && got.spanID?.utf8.count == 16)
        }
        #expect(batch.events[0].traceID != batch.events[1].traceID)
    }

    @Test func bothEncodingsCarryTheSameIDs() throws {
        let proto = try OTLPDecoder(encoding: .protobuf).decode(OTLPEncoder(encoding: .protobuf).encode(Self.events))
        let json = try OTLPDecoder(encoding: .json).decode(OTLPEncoder(encoding: .json).encode(Self.events))
        #expect(proto == json)
    }
}
