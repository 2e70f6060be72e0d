import Testing

@testable import DriftlineCore

@Suite("JSON syntax: strings, numbers, structure")
struct JSONSyntaxTests {
    func prompt(_ jsonString: String) throws -> String? {
        try NativeJSONDecoder().decode(minimalRecord(#""prompt":\#(jsonString)"#)).prompt
    }

    @Test(arguments: [
        (#""\"""#, "\""),
        (#""\\""#, "\\"),
        (#""\/""#, "/"),
        (#""\b""#, "\u{8}"),
        (#""\f""#, "\u{C}"),
        (#""\n""#, "\n"),
        (#""\r""#, "\r"),
        (#""\t""#, "\t"),
        (#""\u0041""#, "A"),
        // \u0000 unescapes too, but text may not hold NUL (HostileRecordTests).
        (#""\u0001""#, "\u{1}"),
        (#""\u001f""#, "\u{1F}"),
        (#""\u00e9""#, "é"),
        (#""\u00E9""#, "é"),
        (#""\u07FF""#, "\u{7FF}"),
        (#""\u0800""#, "\u{800}"),
        (#""\u20AC""#, "€"),
        (#""\uFFFF""#, "\u{FFFF}"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
        (#""\uD800\uDC00""#, "\u{10000}"),
        (#""a\"b\\c\/d\ne\u0041f""#, "a\"b\\c/d\neAf"),
        (#""€ raw, \u20ac escaped""#, "€ raw, € escaped"),
        (#""😀\n😀""#, "😀\n😀"),
        (#""""#, ""),
    ])
    func unescapes(_ json: String, _ expected: String) throws {
        #expect(try prompt(json) == expected)
    }

    @Test func escapesAtEveryPositionAroundTheWordBoundaries() throws {
        // The scanner reads strings a word and 32 bytes at a time; put the escape everywhere.
        for length in 0..<70 {
            let plain = String(repeating: "x", count: length)
            #expect(try prompt(#""\#(plain)\n\#(plain)""#) == plain + "\n" + plain)
            #expect(try prompt(#""\#(plain)""#) == plain)
            #expect(try prompt(#""\#(plain)é\#(plain)""#) == plain + "é" + plain)
        }
    }

    @Test(arguments: [
        (#""\x""#, "invalid escape '\\x' at byte "),
        (#""\u12G4""#, "expected a hex digit in a \\u escape at byte "),
        (#""\uD800""#, "\\uD800 at byte "),
        (#""\uD800\u0041""#, "\\uD800 at byte "),
        (#""\uD800x""#, "\\uD800 at byte "),
        (#""\uDC00""#, "\\uDC00 at byte "),
        (#""\uDFFF\uD800""#, "\\uDFFF at byte "),
        ("\"a\u{1}b\"", "unescaped control character U+0001 in a string at byte "),
        ("\"a\nb\"", "unescaped control character U+000A in a string at byte "),
        ("\"a\tb\"", "unescaped control character U+0009 in a string at byte "),
    ])
    func rejectsBadStrings(_ json: String, _ reasonPrefix: String) throws {
        let error = try #require(decodeError(minimalRecord(#""prompt":\#(json)"#)))
        #expect(error.code == .malformedJSON)
        #expect(error.reason.hasPrefix(reasonPrefix) || error.reason.contains(reasonPrefix), "\(error.reason)")
    }

    @Test func loneSurrogatesSayWhichHalfIsMissing() throws {
        let high = try #require(decodeError(minimalRecord(#""prompt":"\uD800""#)))
        #expect(high.reason.hasSuffix("is a high surrogate without a low surrogate after it"))
        let low = try #require(decodeError(minimalRecord(#""prompt":"\uDC00""#)))
        #expect(low.reason.hasSuffix("is a low surrogate without a high surrogate before it"))
    }

    @Test(
        arguments: [
            [0xC0, 0x80],  // overlong NUL
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0x80],  // overlong three-byte form
            [0xED, 0xA0, 0x80],  // UTF-16 surrogate D800
            [0xF0, 0x80, 0x80, 0x80],  // overlong four-byte form
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],
            [0xFF],
            [0x80],  // continuation without a lead byte
            [0xC3, 0x41],  // lead byte followed by ASCII
            [0xE2, 0x82, 0x41],
        ] as [[UInt8]])
    func rejectsIllFormedUTF8(_ sequence: [UInt8]) throws {
        for (prefix, suffix) in [("", ""), ("abc", "def"), (String(repeating: "p", count: 40), "q")] {
            let head = Array(minimalRecord(#""prompt":"\#(prefix)"#).utf8)
            let bytes = head + sequence + Array(#"\#(suffix)"}"#.utf8)
            let error = try #require(decodeError(bytes: bytes))
            #expect(error.code == .invalidUTF8)
            #expect(error.byteOffset == head.count)
            #expect(error.reason == "invalid UTF-8 at byte \(head.count)")
        }
    }

    @Test func acceptsWellFormedUTF8AtTheEdges() throws {
        let text = "\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFD}\u{FFFF}\u{10000}\u{10FFFF}"
        #expect(try prompt(#""\#(text)""#) == text)
    }

    @Test func nonASCIIOutsideStringsIsASyntaxOrEncodingError() throws {
        let valid = try #require(decodeError(#"{"model":"m" é}"#))
        #expect(valid.code == .malformedJSON)
        #expect(valid.reason == "unexpected 'é' at byte 13, expected ',' or '}'")
        let invalid = try #require(decodeError(bytes: Array(#"{"model":"m" "#.utf8) + [0xFF, 0x7D]))
        #expect(invalid.code == .invalidUTF8)
        #expect(invalid.reason == "invalid UTF-8 at byte 13")
    }

    @Test func stringCutInsideAMultiByteCharacterIsTruncated() throws {
        let bytes = Array(#"{"model":"m","prompt":"é"#.utf8).dropLast()
        let error = try #require(decodeError(bytes: Array(bytes)))
        #expect(error.code == .truncated)
    }

    @Test(arguments: [
        ("01", "number with a leading zero at byte "),
        ("-01", "number with a leading zero at byte "),
        ("1.", "unexpected '}' at byte "),
        (".5", "unexpected '.' at byte "),
        ("-", "unexpected '}' at byte "),
        ("+1", "unexpected '+' at byte "),
        ("1e", "unexpected '}' at byte "),
        ("1e+", "unexpected '}' at byte "),
        ("0x10", "unexpected 'x' at byte "),
        ("1.5.5", "unexpected '.' at byte "),
        ("NaN", "unexpected 'N' at byte "),
        ("Infinity", "unexpected 'I' at byte "),
        ("-Infinity", "unexpected 'I' at byte "),
        ("tru", "unexpected '}' at byte "),
        ("nul", "unexpected '}' at byte "),
        ("True", "unexpected 'T' at byte "),
    ])
    func rejectsBadLiteralsInUnknownFields(_ literal: String, _ reasonPrefix: String) throws {
        let error = try #require(decodeError(minimalRecord(#""x":\#(literal)"#)))
        #expect(error.code == .malformedJSON)
        #expect(error.reason.hasPrefix(reasonPrefix), "\(error.reason)")
    }

    @Test(arguments: [
        #"{"model":"m",}"#,
        #"{"model":"m" "start":1}"#,
        #"{"model" "m"}"#,
        #"{model:"m"}"#,
        #"{'model':'m'}"#,
        #"{"model":"m"]"#,
        #"{"x":[1,2}"#,
        #"{"x":[1,]}"#,
        #"{"x":{"a":1,}}"#,
        #"{"x":{1:2}}"#,
        #"{,}"#,
    ])
    func rejectsBrokenStructure(_ record: String) throws {
        let error = try #require(decodeError(record))
        #expect(error.code == .malformedJSON)
    }

    @Test func unknownKeysMayHoldAnyWellFormedValue() throws {
        let extra =
            #""meta":{"a":[1,-2.5e-3,true,false,null,"s\n",{"b":{}}],"c":[]},"n":-0,"big":1e999,"deep":[[[[]]]]"#
        let event = try NativeJSONDecoder().decode(minimalRecord(extra))
        #expect(event.model == "gpt-4o")
    }

    @Test func nestingIsBounded() throws {
        let depth = 70
        let extra = #""deep":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = try #require(decodeError(minimalRecord(extra)))
        #expect(error.code == .nestingTooDeep)
        #expect(error.reason.hasPrefix("containers nested deeper than 64 levels at byte "))
        let fine = #""deep":"# + String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(try NativeJSONDecoder().decode(minimalRecord(fine)).model == "gpt-4o")
    }

    @Test func whitespaceIsAllowedBetweenAllTokens() throws {
        let record = """
            {
              "model" : "gpt-4o" ,
              "start"\t:\r\n1795608000000 ,
              "end" : "2026-11-25T12:00:01Z",
              "tokens" : { "input" : 5 , "output" : 2 } ,
              "labels" : { } ,
              "context" : [ "a" , "b" ] ,
              "embedding" : [ ] ,
              "feedback" : { "score" : 0.5 }
            }
            """
        let event = try NativeJSONDecoder().decode(record)
        #expect(event.tokens == TokenCounts(input: 5, output: 2))
        #expect(event.context == ["a", "b"])
        #expect(event.embedding == [])
        #expect(event.feedback == Feedback(score: 0.5))
    }

    @Test func keysWithEscapesAreRecognised() throws {
        let event = try NativeJSONDecoder().decode(
            #"{"mod\u0065l":"m","st\u0061rt":1,"\u0065nd":2,"tok\u0065ns":{"in\u0070ut":3},"f\u0065edback":{"sc\u006fre":1}}"#
        )
        #expect(event.model == "m")
        #expect(event.start.microsecondsSinceEpoch == 1000)
        #expect(event.end.microsecondsSinceEpoch == 2000)
        #expect(event.tokens.input == 3)
        #expect(event.feedback?.score == 1)
    }

    @Test func timestampsAndStatusWithEscapesAreRead() throws {
        let event = try NativeJSONDecoder().decode(
            #"{"model":"m","start":"2026-11-25T12:00:00\u005a","end":"2026-11-25T12:00:01Z","status":"\u0065rror"}"#)
        #expect(event.start == EventTime(rfc3339: "2026-11-25T12:00:00Z"))
        #expect(event.status == .error)
    }
}
