import Testing

@testable import DriftlineCore

@Suite("NativeJSONDecoder: reading records")
struct NativeJSONDecoderTests {
    static let fullRecord = #"""
        {"request_id":"req-1","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",
        "start":"2026-11-25T12:00:00.123Z","first_token":"2026-11-25T12:00:00.373456Z","end":1795608001923.5,
        "model":"gpt-4o","provider":"openai","app":"support-bot","route":"/v1/chat","tenant":"acme",
        "user":"u-42","team":"growth","environment":"prod","model_version":"2024-08-06",
        "labels":{"region":"eu-west-1","tier":"gold"},
        "tokens":{"input":812,"output":164,"cached_input":512,"cache_write":100,"reasoning":64},
        "status":"error","error_type":"rate_limit","http_status":429,"finish_reason":"length",
        "prompt":"Summarize: \"quarterly\" results","response":"Revenue grew.","context":["passage one","passage two"],
        "embedding":[0.25,-1.5,3e-2],"feedback":{"score":-1,"label":"thumbs_down","comment":"too short"}}
        """#

    @Test func readsEveryField() throws {
        let event = try NativeJSONDecoder().decode(Self.fullRecord)
        let start = EventTime(microsecondsSinceEpoch: 1_795_608_000_123_000)
        let expected = LLMEvent(
            requestID: "req-1", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
            start: start, firstToken: start.advanced(byMicroseconds: 250_456),
            end: EventTime(microsecondsSinceEpoch: 1_795_608_001_923_500),
            model: "gpt-4o", provider: "openai",
            dimensions: EventDimensions(
                app: "support-bot", route: "/v1/chat", tenant: "acme", user: "u-42", team: "growth",
                environment: "prod", modelVersion: "2024-08-06", labels: ["region": "eu-west-1", "tier": "gold"]),
            tokens: TokenCounts(input: 812, output: 164, cachedInput: 512, cacheWrite: 100, reasoning: 64),
            status: .error, errorType: "rate_limit", httpStatus: 429, finishReason: "length",
            prompt: #"Summarize: "quarterly" results"#, response: "Revenue grew.",
            context: ["passage one", "passage two"], embedding: [0.25, -1.5, 0.03],
            feedback: Feedback(score: -1, label: "thumbs_down", comment: "too short"))
        #expect(event == expected)
        #expect(event.ttftMilliseconds == 250.456)
        #expect(event.latencyMilliseconds == 1800.5)
    }

    @Test func minimalRecordGetsDefaults() throws {
        let event = try NativeJSONDecoder().decode(minimalRecord())
        #expect(event.requestID == nil)
        #expect(event.firstToken == nil)
        #expect(event.provider == "")
        #expect(event.dimensions == EventDimensions())
        #expect(event.tokens == TokenCounts())
        #expect(event.status == .ok)
        #expect(event.httpStatus == nil)
        #expect(event.prompt == nil)
        #expect(event.context == nil)
        #expect(event.embedding == nil)
        #expect(event.feedback == nil)
    }

    @Test func nullMeansAbsentForOptionalFields() throws {
        let nulls = [
            "request_id", "trace_id", "span_id", "first_token", "provider", "app", "route", "tenant", "user",
            "team", "environment", "model_version", "labels", "tokens", "status", "error_type", "http_status",
            "finish_reason", "prompt", "response", "context", "embedding", "feedback",
        ].map { #""\#($0)":null"# }.joined(separator: ",")
        let event = try NativeJSONDecoder().decode(minimalRecord(nulls))
        #expect(event == (try NativeJSONDecoder().decode(minimalRecord())))
        let innerNulls = try NativeJSONDecoder().decode(
            minimalRecord(#""tokens":{"input":null,"output":3},"feedback":{"score":null,"label":null}"#))
        #expect(innerNulls.tokens == TokenCounts(output: 3))
        #expect(innerNulls.feedback == Feedback())
    }

    @Test func contextMayBeASingleString() throws {
        let event = try NativeJSONDecoder().decode(minimalRecord(#""context":"only passage""#))
        #expect(event.context == ["only passage"])
    }

    @Test func keepTextFalseValidatesButDropsText() throws {
        let decoder = NativeJSONDecoder(keepText: false)
        let event = try decoder.decode(Self.fullRecord)
        #expect(event.prompt == nil)
        #expect(event.response == nil)
        #expect(event.context == nil)
        #expect(event.embedding == nil)
        #expect(event.model == "gpt-4o")
        #expect(event.feedback?.comment == "too short")
        // Dropped fields are still checked.
        #expect(decodeError(minimalRecord(#""prompt":"\x""#), decoder: decoder)?.code == .malformedJSON)
        #expect(decodeError(minimalRecord(#""context":["a",1]"#), decoder: decoder)?.field == "context[1]")
        #expect(decodeError(minimalRecord(#""embedding":[1e99]"#), decoder: decoder)?.code == .nonFinite)
        var bytes = Array(minimalRecord(#""response":"ab""#).utf8)
        bytes[bytes.count - 3] = 0xC0
        #expect(decodeError(bytes: bytes, decoder: decoder)?.code == .invalidUTF8)
    }

    @Test func embeddingsCanBeKeptWithoutText() throws {
        let event = try NativeJSONDecoder(keepText: false, keepEmbedding: true).decode(Self.fullRecord)
        #expect(event.prompt == nil)
        #expect(event.embedding == [0.25, -1.5, 0.03])
        let textOnly = try NativeJSONDecoder(keepText: true, keepEmbedding: false).decode(Self.fullRecord)
        #expect(textOnly.prompt != nil)
        #expect(textOnly.embedding == nil)
    }

    @Test(
        arguments: [
            ("1795608000000", 1_795_608_000_000_000),
            ("1795608000123", 1_795_608_000_123_000),
            ("1795608000123.456", 1_795_608_000_123_456),
            ("1795608000123.4569", 1_795_608_000_123_456),
            ("1795608000123.0", 1_795_608_000_123_000),
            ("1795608000123.000999", 1_795_608_000_123_000),
            ("1.795608000123456e12", 1_795_608_000_123_456),
            ("1795608000123456e-3", 1_795_608_000_123_456),
            ("17956080001E2", 1_795_608_000_100_000),
            ("0", 0),
            ("-0", 0),
            ("0.001", 1),
            ("0.0009", 0),
            ("-0.0001", -1),
            ("-1.5", -1500),
            ("-1", -1000),
            ("-62167219200000", -62_167_219_200_000_000),
            ("253402300799999.999", 253_402_300_799_999_999),
        ] as [(String, Int64)])
    func epochMillisecondsAreExactToTheMicrosecondRoundingTowardThePast(_ text: String, _ micros: Int64) throws {
        let record = #"{"model":"m","start":\#(text),"end":"9999-12-31T23:59:59.999999Z"}"#
        #expect(try NativeJSONDecoder().decode(record).start.microsecondsSinceEpoch == micros)
    }

    @Test func timestampVariantsInRecords() throws {
        let record =
            #"{"model":"m","start":"2026-11-25T14:00:00.5+02:00","first_token":"2026-11-25t12:00:00.75z","end":"2026-11-25 07:00:01-05:00"}"#
        let event = try NativeJSONDecoder().decode(record)
        #expect(event.start == EventTime(rfc3339: "2026-11-25T12:00:00.5Z"))
        #expect(event.firstToken == EventTime(rfc3339: "2026-11-25T12:00:00.75Z"))
        #expect(event.end == EventTime(rfc3339: "2026-11-25T12:00:01Z"))
    }

    @Test func firstTokenMayEqualStartOrEnd() throws {
        let atStart = minimalRecord(#""first_token":"2026-11-25T12:00:00Z""#)
        let atEnd = minimalRecord(#""first_token":"2026-11-25T12:00:01Z""#)
        #expect(try NativeJSONDecoder().decode(atStart).ttftMilliseconds == 0)
        #expect(try NativeJSONDecoder().decode(atEnd).ttftMilliseconds == 1000)
    }

    @Test func tokenEdgeCasesThatAreValid() throws {
        // Counts up to `EventLimits.maxTokenCount` (larger ones: HostileRecordTests).
        let record = minimalRecord(
            #""tokens":{"input":1000000000,"output":0,"cached_input":1000000000,"future_kind":-1}"#)
        let tokens = try NativeJSONDecoder().decode(record).tokens
        #expect(tokens == TokenCounts(input: 1_000_000_000, cachedInput: 1_000_000_000))
        let overflow = minimalRecord(
            #""tokens":{"input":9223372036854775807,"cached_input":9223372036854775807,"cache_write":1}"#)
        #expect(decodeError(overflow)?.field == "tokens.cached_input")
    }

    @Test func equalStartAndEndAreValid() throws {
        let event = try NativeJSONDecoder().decode(#"{"model":"m","start":5,"end":5}"#)
        #expect(event.latencyMilliseconds == 0)
    }

    @Test func aDecoderIsReusableAndSharable() async throws {
        let decoder = NativeJSONDecoder()
        let records = (0..<200).map { minimalRecord(#""tenant":"t\#($0 % 7)","user":"user-\#($0)""#) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for (index, record) in records.enumerated() {
                        let event = try decoder.decode(record)
                        #expect(event.dimensions.tenant == "t\(index % 7)")
                        #expect(event.dimensions.user == "user-\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func internedValuesNeverLeakBetweenDifferentStrings() throws {
        // Values that share prefixes, lengths and word contents must each come back intact.
        let decoder = NativeJSONDecoder()
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("ab\u{e9}/-_0")
        for _ in 0..<5000 {
            let length = Int.random(in: 0...40, using: &generator)
            let value = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let event = try decoder.decode(minimalRecord(#""app":"\#(value)","labels":{"\#(value)":"\#(value)x"}"#))
            #expect(event.dimensions.app == value)
            #expect(event.dimensions.labels == [value: value + "x"])
        }
    }

    @Test func cachedLabelsAreOnlyReusedForIdenticalText() throws {
        let decoder = NativeJSONDecoder()
        let sequence: [(String, [String: String])] = [
            (#"{"a":"1"}"#, ["a": "1"]),
            (#"{"a":"1"}"#, ["a": "1"]),
            (#"{"a":"1","b":"2"}"#, ["a": "1", "b": "2"]),
            (#"{"a":"1"}"#, ["a": "1"]),
            (#"{"a":"10"}"#, ["a": "10"]),
            (#"{ "a":"1"}"#, ["a": "1"]),
            ("{}", [:]),
            (#"{"a":"1"}"#, ["a": "1"]),
            (#"{"a":"1"}"#, ["a": "1"]),
            ("null", [:]),
            (#"{"a":"1"}"#, ["a": "1"]),
        ]
        for (text, expected) in sequence {
            // The labels object is last, so a cached text longer than it would run into `}`.
            let event = try decoder.decode(minimalRecord(#""labels":\#(text)"#))
            #expect(event.dimensions.labels == expected, "\(text)")
        }
        #expect(decodeError(minimalRecord(#""labels":{"a":"1","a":"1"}"#), decoder: decoder)?.code == .duplicateKey)
        #expect(decodeError(minimalRecord(#""labels":{"a":"1","a":"1"}"#), decoder: decoder)?.code == .duplicateKey)
    }

    @Test func decodesFromAllInputForms() throws {
        let record = minimalRecord()
        let decoder = NativeJSONDecoder()
        let fromString = try decoder.decode(record)
        let fromArray = try decoder.decode(Array(record.utf8))
        let fromBuffer = try Array(record.utf8).withUnsafeBytes { buffer in
            Result { () throws(DecodeError) in try decoder.decode(buffer) }
        }.get()
        #expect(fromString == fromArray)
        #expect(fromString == fromBuffer)
    }
}
