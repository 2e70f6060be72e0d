import Foundation
import Testing

@testable import DriftlineCore

/// Foundation's JSONSerialization as an independent JSON implementation: records it writes
/// must decode to the values it was given, and records we write must parse to our values.
@Suite("Agreement with Foundation's JSONSerialization")
struct FoundationOracleTests {
    @Test func decodesWhatFoundationWrites() throws {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<1500 {
            let prompt = RoundTripTests.randomString(&generator, maxLength: 80, text: true)
            let tenant = RoundTripTests.randomString(&generator, maxLength: 16)
            let label = RoundTripTests.randomString(&generator)
            let score = Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &generator))
            let smallScore = Double.random(in: -1...1, using: &generator)
            let embedding = (0..<8).map { _ in Double(Float.random(in: -10...10, using: &generator)) }
            let input = Int64.random(in: 0...EventLimits.maxTokenCount, using: &generator)
            let startMilliseconds = Double(Int64.random(in: 0...4_000_000_000_000, using: &generator)) / 8
            let object: [String: Any] = [
                "model": "gpt-4o", "start": startMilliseconds, "end": "9999-12-31T23:59:59Z",
                "prompt": prompt, "tenant": tenant, "labels": [tenant: label],
                "tokens": ["input": NSNumber(value: input)], "embedding": embedding,
                "feedback": ["score": Bool.random(using: &generator) ? score : smallScore],
                "logprob_mean": -smallScore.magnitude,
            ]
            let data = try JSONSerialization.data(withJSONObject: object)
            let event = try NativeJSONDecoder().decode(Array(data))
            #expect(event.prompt == prompt)
            #expect(event.dimensions.tenant == tenant)
            #expect(event.dimensions.labels == [tenant: label])
            #expect(event.tokens.input == input)
            #expect(event.embedding == embedding.map { Float($0) })
            let expectedScore = (object["feedback"] as? [String: Double])?["score"]
            #expect(event.feedback?.score == expectedScore)
            #expect(event.logprobMean == -smallScore.magnitude)
            // Eighths of a millisecond are exact in binary and in decimal.
            #expect(event.start.microsecondsSinceEpoch == Int64(startMilliseconds * 1000))
        }
    }

    @Test func foundationReadsWhatWeWrite() throws {
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<1500 {
            let event = RoundTripTests.randomEvent(&generator)
            let bytes = NativeJSONEncoder(timestampFormat: .epochMilliseconds).encode(event)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(object["model"] as? String == event.model)
            #expect(object["prompt"] as? String == event.prompt)
            #expect(object["request_id"] as? String == event.requestID)
            #expect((object["app"] as? String ?? "") == event.dimensions.app)
            #expect((object["labels"] as? [String: String] ?? [:]) == event.dimensions.labels)
            #expect((object["context"] as? [String]) == event.context)
            let tokens = try #require(object["tokens"] as? [String: NSNumber])
            #expect(tokens["input"]?.int64Value == event.tokens.input)
            #expect(tokens["cached_input"]?.int64Value == event.tokens.cachedInput)
            #expect((object["status"] as? String) == event.status.rawValue)
            #expect((object["http_status"] as? NSNumber)?.intValue == event.httpStatus)
            let start = try #require(object["start"] as? NSNumber)
            // Milliseconds with three decimals can need more digits than a double holds.
            let micros = Double(event.start.microsecondsSinceEpoch)
            #expect(abs(start.doubleValue * 1000 - micros) <= abs(micros) * 1e-15 + 1)
            if let score = event.feedback?.score {
                let feedback = try #require(object["feedback"] as? [String: Any])
                // Foundation on Linux does not round every decimal correctly (it can be a few
                // ulps off), so it only confirms the value here; exactness is checked against
                // the standard library's parser in `numbersAgreeWithFoundation`.
                let parsed = try #require((feedback["score"] as? NSNumber)?.doubleValue)
                #expect(abs(parsed - score) <= score.magnitude * 1e-14)
            }
            if let embedding = event.embedding {
                let values = try #require(object["embedding"] as? [NSNumber])
                #expect(values.map { Float($0.doubleValue) } == embedding)
            }
            var uncertain = event
            uncertain.logprobMean = -1.25
            let written = NativeJSONEncoder(timestampFormat: .epochMilliseconds).encode(uncertain)
            let read = try #require(try JSONSerialization.jsonObject(with: Data(written)) as? [String: Any])
            #expect((read["logprob_mean"] as? NSNumber)?.doubleValue == -1.25)
            #expect(try NativeJSONDecoder().decode(written).logprobMean == -1.25)
        }
    }

    @Test(arguments: [
        "0", "-0", "1", "-1", "0.1", "1e-7", "1E+2", "123456789012345678", "1.7976931348623157e308",
        "2.2250738585072014e-308", "4.9e-324", "2.4703282292062328e-324", "0.30000000000000004",
        "9007199254740993", "123456789012345678901234567890", "1.00000000000000011102230246251565404236316680908203125",
        "3.141592653589793238462643383279", "-1.5e-10", "7e22", "7e23", "1e23", "8.98846567431158e307",
    ])
    func numbersAgreeWithFoundation(_ text: String) throws {
        let data = Data(#"{"score":\#(text)}"#.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let foundation = try #require((object["score"] as? NSNumber)?.doubleValue)
        let event = try NativeJSONDecoder().decode(minimalRecord(#""feedback":{"score":\#(text)}"#))
        let ours = try #require(event.feedback?.score)
        // Ours must be the correctly rounded double, which the standard library's strtod-based
        // parser also gives; Foundation on Linux can be a few ulps off, so it only confirms
        // the value.
        #expect(ours.bitPattern == Double(text)!.bitPattern)
        #expect(abs(ours - foundation) <= foundation.magnitude * 1e-14, "\(ours) vs \(foundation)")
    }
}
