import Foundation
import Testing

@testable import DriftlineCore

/// One rule per case: the record, and the exact error the pipeline will store for it.
struct RejectionCase: CustomTestStringConvertible, Sendable {
    var record: String
    var code: DecodeError.Code
    var field: String?
    var reason: String

    var testDescription: String { reason }
}

/// The UTF-8 offset of the first occurrence of `needle` in `text`.
func byteOffset(of needle: String, in text: String) -> Int {
    let haystack = Array(text.utf8)
    let pattern = Array(needle.utf8)
    for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<(start + pattern.count)]) == pattern
    {
        return start
    }
    return -1
}

@Suite("Validation rules and their messages")
struct ValidationTests {
    static let start = #""start":"2026-11-25T12:00:00Z""#
    static let end = #""end":"2026-11-25T12:00:01Z""#

    static let cases: [RejectionCase] = [
        // Required fields.
        RejectionCase(record: "{\(start),\(end)}", code: .missingField, field: "model", reason: "model is required"),
        RejectionCase(
            record: #"{"model":"m",\#(end)}"#, code: .missingField, field: "start", reason: "start is required"),
        RejectionCase(
            record: #"{"model":"m",\#(start)}"#, code: .missingField, field: "end", reason: "end is required"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""model":"gpt-4o""#, with: #""model":"""#), code: .invalidValue,
            field: "model", reason: #"model must be a non-empty string, got """#),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""model":"gpt-4o""#, with: #""model":null"#), code: .wrongType,
            field: "model", reason: "model must be a non-empty string, got null"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""model":"gpt-4o""#, with: #""model":4"#), code: .wrongType,
            field: "model", reason: "model must be a non-empty string, got 4"),

        // Times.
        RejectionCase(
            record: minimalRecord().replacingFirst(#""start":"2026-11-25T12:00:00Z""#, with: #""start":true"#),
            code: .wrongType, field: "start",
            reason: "start must be an RFC 3339 timestamp or epoch milliseconds, got true"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""start":"2026-11-25T12:00:00Z""#, with: #""start":null"#),
            code: .wrongType, field: "start",
            reason: "start must be an RFC 3339 timestamp or epoch milliseconds, got null"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""start":"2026-11-25T12:00:00Z""#, with: #""start":{"ms":1}"#),
            code: .wrongType, field: "start",
            reason: "start must be an RFC 3339 timestamp or epoch milliseconds, got an object"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:00Z""#, with: #""2026-13-25T12:00:00Z""#),
            code: .invalidValue, field: "start",
            reason:
                #"start must be an RFC 3339 timestamp or epoch milliseconds, got "2026-13-25T12:00:00Z": month 13 is out of range 01-12"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:00Z""#, with: #""2026-02-29T12:00:00Z""#),
            code: .invalidValue, field: "start",
            reason:
                #"start must be an RFC 3339 timestamp or epoch milliseconds, got "2026-02-29T12:00:00Z": day 29 does not exist in month 2 of year 2026"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: #""1764072000123""#),
            code: .invalidValue, field: "end",
            reason:
                #"end must be an RFC 3339 timestamp or epoch milliseconds, got "1764072000123": too short for YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: #""2026-11-25T12:00:01""#),
            code: .invalidValue, field: "end",
            reason:
                #"end must be an RFC 3339 timestamp or epoch milliseconds, got "2026-11-25T12:00:01": too short for YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: #""2026-11-25T12:00:01.5""#),
            code: .invalidValue, field: "end",
            reason:
                #"end must be an RFC 3339 timestamp or epoch milliseconds, got "2026-11-25T12:00:01.5": missing the time zone (Z or ±HH:MM)"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: #""2026-11-25T12:00:01+0100""#),
            code: .invalidValue, field: "end",
            reason:
                #"end must be an RFC 3339 timestamp or epoch milliseconds, got "2026-11-25T12:00:01+0100": the offset is not ±HH:MM"#
        ),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: "1e20"),
            code: .invalidValue, field: "end",
            reason: "end must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, got 1e20"),
        RejectionCase(
            record: minimalRecord().replacingFirst(#""2026-11-25T12:00:01Z""#, with: "-62167219200001"),
            code: .invalidValue, field: "end",
            reason:
                "end must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, got -62167219200001"),
        RejectionCase(
            record: #"{"model":"m","start":"2026-11-25T12:00:01Z","end":"2026-11-25T12:00:00Z"}"#,
            code: .invalidValue, field: "end",
            reason: "end (2026-11-25T12:00:00.000000Z) is before start (2026-11-25T12:00:01.000000Z)"),
        RejectionCase(
            record: minimalRecord(#""first_token":"2026-11-25T12:00:02Z""#), code: .invalidValue,
            field: "first_token",
            reason:
                "first_token (2026-11-25T12:00:02.000000Z) is outside [start, end] (2026-11-25T12:00:00.000000Z, 2026-11-25T12:00:01.000000Z)"
        ),
        RejectionCase(
            record: minimalRecord(#""first_token":1795607999999"#), code: .invalidValue, field: "first_token",
            reason:
                "first_token (2026-11-25T11:59:59.999000Z) is outside [start, end] (2026-11-25T12:00:00.000000Z, 2026-11-25T12:00:01.000000Z)"
        ),

        // Tokens.
        RejectionCase(
            record: minimalRecord(#""tokens":{"input":-5}"#), code: .invalidValue, field: "tokens.input",
            reason: "tokens.input must be a non-negative integer, got -5"),
        RejectionCase(
            record: minimalRecord(#""tokens":{"output":1.5}"#), code: .invalidValue, field: "tokens.output",
            reason: "tokens.output must be a non-negative integer, got 1.5"),
        RejectionCase(
            record: minimalRecord(#""tokens":{"cached_input":1e3}"#), code: .invalidValue,
            field: "tokens.cached_input", reason: "tokens.cached_input must be a non-negative integer, got 1e3"),
        RejectionCase(
            record: minimalRecord(#""tokens":{"reasoning":9223372036854775808}"#), code: .invalidValue,
            field: "tokens.reasoning",
            reason: "tokens.reasoning must be a non-negative integer, got 9223372036854775808"),
        RejectionCase(
            record: minimalRecord(#""tokens":{"cache_write":"7"}"#), code: .wrongType, field: "tokens.cache_write",
            reason: #"tokens.cache_write must be a non-negative integer, got "7""#),
        RejectionCase(
            record: minimalRecord(#""tokens":[1,2]"#), code: .wrongType, field: "tokens",
            reason: "tokens must be an object or null, got an array"),
        RejectionCase(
            record: minimalRecord(#""tokens":{"input":100,"cached_input":80,"cache_write":30}"#),
            code: .invalidValue, field: "tokens.cached_input",
            reason:
                "tokens.cached_input (80) + tokens.cache_write (30) exceeds tokens.input (100); input must count all prompt tokens, cached ones included"
        ),
        RejectionCase(
            record: minimalRecord(#""tokens":{"output":20,"reasoning":50}"#), code: .invalidValue,
            field: "tokens.reasoning",
            reason:
                "tokens.reasoning (50) exceeds tokens.output (20); output must count all generated tokens, reasoning included"
        ),

        // Status and HTTP status.
        RejectionCase(
            record: minimalRecord(#""status":"failed""#), code: .invalidValue, field: "status",
            reason: #"status must be "ok" or "error", got "failed""#),
        RejectionCase(
            record: minimalRecord(#""status":"OK""#), code: .invalidValue, field: "status",
            reason: #"status must be "ok" or "error", got "OK""#),
        RejectionCase(
            record: minimalRecord(#""status":false"#), code: .wrongType, field: "status",
            reason: #"status must be "ok" or "error", got false"#),
        RejectionCase(
            record: minimalRecord(#""http_status":700"#), code: .invalidValue, field: "http_status",
            reason: "http_status must be an integer in 100...599, got 700"),
        RejectionCase(
            record: minimalRecord(#""http_status":99"#), code: .invalidValue, field: "http_status",
            reason: "http_status must be an integer in 100...599, got 99"),
        RejectionCase(
            record: minimalRecord(#""http_status":429.0"#), code: .invalidValue, field: "http_status",
            reason: "http_status must be an integer in 100...599, got 429.0"),
        RejectionCase(
            record: minimalRecord(#""http_status":"429""#), code: .wrongType, field: "http_status",
            reason: #"http_status must be an integer in 100...599, got "429""#),

        // Strings and collections.
        RejectionCase(
            record: minimalRecord(#""tenant":42"#), code: .wrongType, field: "tenant",
            reason: "tenant must be a string or null, got 42"),
        RejectionCase(
            record: minimalRecord(#""request_id":["a"]"#), code: .wrongType, field: "request_id",
            reason: "request_id must be a string or null, got an array"),
        RejectionCase(
            record: minimalRecord(#""prompt":{"text":"hi"}"#), code: .wrongType, field: "prompt",
            reason: "prompt must be a string or null, got an object"),
        RejectionCase(
            record: minimalRecord(#""labels":{"team":"a","tier":5}"#), code: .wrongType, field: "labels.tier",
            reason: "labels.tier must be a string, got 5"),
        RejectionCase(
            record: minimalRecord(#""labels":"team=a""#), code: .wrongType, field: "labels",
            reason: #"labels must be an object of strings or null, got "team=a""#),
        RejectionCase(
            record: minimalRecord(#""context":["a",5]"#), code: .wrongType, field: "context[1]",
            reason: "context[1] must be a string, got 5"),
        RejectionCase(
            record: minimalRecord(#""context":7"#), code: .wrongType, field: "context",
            reason: "context must be an array of strings, a string or null, got 7"),
        RejectionCase(
            record: minimalRecord(#""embedding":[0.5,"x"]"#), code: .wrongType, field: "embedding[1]",
            reason: #"embedding[1] must be a number, got "x""#),
        RejectionCase(
            record: minimalRecord(#""embedding":0.5"#), code: .wrongType, field: "embedding",
            reason: "embedding must be an array of numbers or null, got 0.5"),
        RejectionCase(
            record: minimalRecord(#""feedback":"good""#), code: .wrongType, field: "feedback",
            reason: #"feedback must be an object or null, got "good""#),
        RejectionCase(
            record: minimalRecord(#""feedback":{"score":"high"}"#), code: .wrongType, field: "feedback.score",
            reason: #"feedback.score must be a number or null, got "high""#),

        RejectionCase(
            record: minimalRecord(#""logprob_mean":0.25"#), code: .invalidValue, field: "logprob_mean",
            reason: "logprob_mean must be a finite log-probability ≤ 0 (the mean over the response's tokens), got 0.25"),
        RejectionCase(
            record: minimalRecord(#""logprob_mean":"low""#), code: .wrongType, field: "logprob_mean",
            reason: #"logprob_mean must be a number ≤ 0 or null, got "low""#),

        // Numbers too large for their type.
        RejectionCase(
            record: minimalRecord(#""feedback":{"score":1e999}"#), code: .nonFinite, field: "feedback.score",
            reason: "feedback.score must be a finite number, got 1e999"),
        RejectionCase(
            record: minimalRecord(#""feedback":{"score":-1.7976931348623159e308}"#), code: .nonFinite,
            field: "feedback.score", reason: "feedback.score must be a finite number, got -1.7976931348623159e308"),
        RejectionCase(
            record: minimalRecord(#""embedding":[0.25,1e39]"#), code: .nonFinite, field: "embedding[1]",
            reason: "embedding[1] must be a finite 32-bit float, got 1e39"),
    ]

    @Test(arguments: cases)
    func rejects(_ rejection: RejectionCase) throws {
        let error = try #require(decodeError(rejection.record))
        #expect(error.code == rejection.code)
        #expect(error.field == rejection.field)
        #expect(error.reason == rejection.reason)
        #expect(error.description == rejection.reason)
    }

    @Test func duplicateKnownKeysAreRejectedWithTheirOffset() throws {
        let record = minimalRecord(#""model":"gpt-4o-mini""#)
        let error = try #require(decodeError(record))
        let offset = byteOffset(of: #""model":"gpt-4o-mini""#, in: record)
        #expect(error.code == .duplicateKey)
        #expect(error.field == "model")
        #expect(error.byteOffset == offset)
        #expect(error.reason == #"duplicate key "model" at byte \#(offset)"#)
    }

    @Test func duplicateKeysInsideKnownObjectsAreRejected() throws {
        let tokens = try #require(decodeError(minimalRecord(#""tokens":{"input":1,"input":2}"#)))
        #expect(tokens.code == .duplicateKey)
        #expect(tokens.field == "tokens.input")
        let labels = try #require(decodeError(minimalRecord(#""labels":{"a":"1","a":"2"}"#)))
        #expect(labels.code == .duplicateKey)
        #expect(labels.field == "labels.a")
        #expect(labels.reason.hasPrefix(#"duplicate key "a" in labels at byte "#))
        let feedback = try #require(decodeError(minimalRecord(#""feedback":{"label":"a","label":"b"}"#)))
        #expect(feedback.code == .duplicateKey)
        #expect(feedback.field == "feedback.label")
    }

    @Test func duplicateKeysAreDetectedThroughEscapes() throws {
        let error = try #require(decodeError(minimalRecord(#""mod\u0065l":"x""#)))
        #expect(error.code == .duplicateKey)
        #expect(error.field == "model")
    }

    @Test func duplicateUnknownKeysAreIgnored() throws {
        let event = try NativeJSONDecoder().decode(minimalRecord(#""x_extra":1,"x_extra":{"y":[true]}"#))
        #expect(event.model == "gpt-4o")
    }

    @Test func oversizedRecordsAreRejectedBeforeParsing() throws {
        let decoder = NativeJSONDecoder(maxRecordBytes: 10)
        let error = try #require(decodeError(bytes: Array(repeating: UInt8(ascii: " "), count: 20), decoder: decoder))
        #expect(error.code == .oversized)
        #expect(error.reason == "record is 20 bytes, over the 10-byte limit")

        let big = minimalRecord(#""prompt":""# + String(repeating: "a", count: 2_000_000) + #"""#)
        let defaultError = try #require(decodeError(big))
        #expect(defaultError.code == .oversized)
        #expect(defaultError.reason == "record is \(big.utf8.count) bytes, over the 1048576-byte limit")
    }

    @Test func recordsAtTheLimitAreAccepted() throws {
        let record = minimalRecord()
        let decoder = NativeJSONDecoder(maxRecordBytes: record.utf8.count)
        #expect(try decoder.decode(record).model == "gpt-4o")
    }

    @Test(arguments: [
        ("", DecodeError.Code.empty, "record is empty"),
        (" \n\t\r ", .empty, "record is empty (only whitespace)"),
        ("[1,2]", .notAnObject, "record must be a JSON object, got an array"),
        (#""model""#, .notAnObject, #"record must be a JSON object, got "model""#),
        ("42", .notAnObject, "record must be a JSON object, got 42"),
        ("null", .notAnObject, "record must be a JSON object, got null"),
    ])
    func recordsThatAreNotObjects(_ record: String, _ code: DecodeError.Code, _ reason: String) throws {
        let error = try #require(decodeError(record))
        #expect(error.code == code)
        #expect(error.reason == reason)
    }

    @Test(arguments: [" x", "{}", ",", "\u{0}", " {\"model\":\"b\"}"])
    func trailingDataIsRejected(_ trailer: String) throws {
        let record = minimalRecord() + trailer
        let error = try #require(decodeError(record))
        let offset = minimalRecord().utf8.count + (trailer.hasPrefix(" ") ? 1 : 0)
        #expect(error.code == .trailingData)
        #expect(error.byteOffset == offset)
        #expect(error.reason == "unexpected data after the JSON object at byte \(offset)")
    }

    @Test func trailingWhitespaceIsAllowed() throws {
        #expect(try NativeJSONDecoder().decode(" \n" + minimalRecord() + " \r\n\t").model == "gpt-4o")
    }

    @Test func invalidUTF8IsReportedWithItsOffset() throws {
        var bytes = Array(minimalRecord(#""prompt":"abc""#).utf8)
        let offset = byteOffset(of: "abc", in: String(decoding: bytes, as: UTF8.self)) + 1
        bytes[offset] = 0xFF
        let error = try #require(decodeError(bytes: bytes))
        #expect(error.code == .invalidUTF8)
        #expect(error.byteOffset == offset)
        #expect(error.reason == "invalid UTF-8 at byte \(offset)")
    }

    @Test func errorsInsideAFieldNameTheField() throws {
        let error = try #require(decodeError(minimalRecord(#""prompt":"a\qb""#)))
        #expect(error.code == .malformedJSON)
        #expect(error.field == "prompt")
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
