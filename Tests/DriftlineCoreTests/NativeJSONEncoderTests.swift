import Testing

@testable import DriftlineCore

@Suite("NativeJSONEncoder output")
struct NativeJSONEncoderTests {
    @Test func writesTheDocumentedKeyOrderAndOmitsDefaults() {
        let start = EventTime(microsecondsSinceEpoch: 1_795_608_000_123_456)
        let event = LLMEvent(
            requestID: "r1", start: start, firstToken: start.advanced(byMicroseconds: 1000),
            end: start.advanced(byMilliseconds: 2000), model: "gpt-4o", provider: "openai",
            dimensions: EventDimensions(tenant: "acme", labels: ["z": "1", "a": "2"]),
            tokens: TokenCounts(input: 10, output: 5, cachedInput: 2),
            status: .error, errorType: "timeout", httpStatus: 504,
            feedback: Feedback(score: 0.5, comment: "slow"))
        let text = String(decoding: NativeJSONEncoder().encode(event), as: UTF8.self)
        #expect(
            text
                == #"{"request_id":"r1","start":"2026-11-25T12:00:00.123456Z","first_token":"2026-11-25T12:00:00.124456Z","end":"2026-11-25T12:00:02.123456Z","model":"gpt-4o","provider":"openai","tenant":"acme","labels":{"a":"2","z":"1"},"tokens":{"input":10,"output":5,"cached_input":2,"cache_write":0,"reasoning":0},"status":"error","error_type":"timeout","http_status":504,"feedback":{"score":0.5,"comment":"slow"}}"#
        )
    }

    @Test func epochMillisecondsKeepMicrosecondsAsAFraction() {
        let event = LLMEvent(
            start: EventTime(microsecondsSinceEpoch: 1_795_608_000_123_000),
            firstToken: EventTime(microsecondsSinceEpoch: 1_795_608_000_123_040),
            end: EventTime(microsecondsSinceEpoch: 1_795_608_000_124_500), model: "m")
        let text = String(decoding: NativeJSONEncoder(timestampFormat: .epochMilliseconds).encode(event), as: UTF8.self)
        #expect(text.hasPrefix(#"{"start":1795608000123,"first_token":1795608000123.040,"end":1795608000124.500,"#))
        let negative = LLMEvent(
            start: EventTime(microsecondsSinceEpoch: -1500), end: EventTime(microsecondsSinceEpoch: -1), model: "m")
        let negativeText = String(
            decoding: NativeJSONEncoder(timestampFormat: .epochMilliseconds).encode(negative), as: UTF8.self)
        #expect(negativeText.hasPrefix(#"{"start":-1.500,"end":-0.001,"#))
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let event = LLMEvent(
            start: .epoch, end: .epoch, model: "m",
            prompt: "q\"b\\s/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}é😀\u{2028}")
        let text = String(decoding: NativeJSONEncoder().encode(event), as: UTF8.self)
        #expect(text.contains(#""prompt":"q\"b\\s/\b\f\n\r\t\u0000\u001f"# + "\u{7F}é😀\u{2028}\""))
    }

    @Test func nonFiniteNumbersBecomeNullWhichTheDecoderRejects() throws {
        let event = LLMEvent(
            start: .epoch, end: .epoch, model: "m", embedding: [1, .nan, .infinity],
            feedback: Feedback(score: -.infinity))
        let bytes = NativeJSONEncoder().encode(event)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""feedback":{"score":null}"#))
        #expect(text.contains(#""embedding":[1.0,null,null]"#))
        #expect(decodeError(bytes: bytes)?.field == "embedding[1]")
    }

    @Test func appendsToAnExistingBuffer() {
        var buffer = Array("prefix\n".utf8)
        let event = LLMEvent(start: .epoch, end: .epoch, model: "m")
        NativeJSONEncoder().encode(event, appendingTo: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self)
                == "prefix\n"
                + #"{"start":"1970-01-01T00:00:00.000000Z","end":"1970-01-01T00:00:00.000000Z","model":"m","tokens":{"input":0,"output":0,"cached_input":0,"cache_write":0,"reasoning":0},"status":"ok"}"#
        )
    }

    @Test func manyRecordsAppendedToOneBufferDecodeOneByOne() throws {
        var buffer: [UInt8] = []
        var ends: [Int] = []
        for index in 0..<2000 {
            let event = LLMEvent(
                start: EventTime(millisecondsSinceEpoch: Int64(index)), end: EventTime(millisecondsSinceEpoch: 5000),
                model: "m\(index)")
            NativeJSONEncoder().encode(event, appendingTo: &buffer)
            ends.append(buffer.count)
        }
        var start = 0
        let decoder = NativeJSONDecoder()
        for (index, end) in ends.enumerated() {
            let event = try decoder.decode(Array(buffer[start..<end]))
            #expect(event.model == "m\(index)")
            start = end
        }
    }

    @Test func timesOutsideTheSupportedRangeAreWrittenSoTheDecoderRejectsThem() {
        let event = LLMEvent(
            start: EventTime(microsecondsSinceEpoch: Int64.min / 2), end: .epoch, model: "m")
        let bytes = NativeJSONEncoder().encode(event)
        #expect(decodeError(bytes: bytes)?.field == "start")
    }
}
