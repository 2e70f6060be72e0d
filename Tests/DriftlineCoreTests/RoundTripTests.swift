import Testing

@testable import DriftlineCore

@Suite("Encoder → decoder round trips")
struct RoundTripTests {
    /// A random key, id or dimension value; `text` for prompt, response, context or a comment,
    /// which may also hold control characters other than NUL (`EventLimits`).
    static func randomString(_ generator: inout SeededGenerator, maxLength: Int = 24, text: Bool = false) -> String {
        let keyPool: [Character] = [
            "a", "Z", "0", " ", "-", "_", "/", "\"", "\\", "é", "ß", "€", "中", "😀", "\u{10FFFF}", "\u{2028}", "{",
            "}", ":", ",", "\u{A0}",
        ]
        let pool = text ? keyPool + ["\n", "\t", "\r", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}"] : keyPool
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in pool.randomElement(using: &generator)! })
    }

    static func randomEvent(_ generator: inout SeededGenerator) -> LLMEvent {
        func maybe<T>(_ make: (inout SeededGenerator) -> T) -> T? {
            Bool.random(using: &generator) ? make(&generator) : nil
        }
        let range = EventTime.supportedRange
        let start = EventTime(
            microsecondsSinceEpoch: Int64.random(
                in: range.lowerBound.microsecondsSinceEpoch...(range.upperBound.microsecondsSinceEpoch - 10_000_000),
                using: &generator))
        let end = start.advanced(byMicroseconds: Int64.random(in: 0...10_000_000, using: &generator))
        let firstToken = maybe { generator in
            start.advanced(byMicroseconds: Int64.random(in: 0...end.microseconds(since: start), using: &generator))
        }
        let input = Int64.random(in: 0...EventLimits.maxTokenCount, using: &generator)
        let cachedInput = Int64.random(in: 0...input, using: &generator)
        let output = Int64.random(in: 0...1_000_000, using: &generator)
        var labels: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...3, using: &generator) {
            // Keys of at most 16 characters: 64 bytes even if all take four.
            labels[randomString(&generator, maxLength: 16)] = randomString(&generator)
        }
        return LLMEvent(
            requestID: maybe { randomString(&$0, maxLength: 32) },
            traceID: maybe { randomString(&$0) }, spanID: maybe { randomString(&$0) },
            start: start, firstToken: firstToken, end: end,
            model: "m" + randomString(&generator),
            provider: randomString(&generator),
            dimensions: EventDimensions(
                app: randomString(&generator), route: randomString(&generator), tenant: randomString(&generator),
                user: randomString(&generator), team: randomString(&generator),
                environment: randomString(&generator), modelVersion: randomString(&generator), labels: labels),
            tokens: TokenCounts(
                input: input, output: output, cachedInput: cachedInput,
                cacheWrite: Int64.random(in: 0...(input - cachedInput), using: &generator),
                reasoning: Int64.random(in: 0...output, using: &generator)),
            status: Bool.random(using: &generator) ? .ok : .error,
            errorType: maybe { randomString(&$0) },
            httpStatus: maybe { Int.random(in: 100...599, using: &$0) },
            finishReason: maybe { randomString(&$0) },
            prompt: maybe { randomString(&$0, maxLength: 300, text: true) },
            response: maybe { randomString(&$0, maxLength: 300, text: true) },
            context: maybe { generator in
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in randomString(&generator, text: true) }
            },
            embedding: maybe { generator in
                (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &generator))
                    case 1: -Float(bitPattern: UInt32.random(in: 0...0x007F_FFFF, using: &generator))
                    case 2: Float.random(in: -1...1, using: &generator)
                    default:
                        [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude, 0.1]
                            .randomElement(using: &generator)!
                    }
                }
            },
            feedback: maybe { generator in
                Feedback(
                    score: Bool.random(using: &generator)
                        ? Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &generator))
                            * (Bool.random(using: &generator) ? 1 : -1) : nil,
                    label: Bool.random(using: &generator) ? randomString(&generator) : nil,
                    comment: Bool.random(using: &generator) ? randomString(&generator, text: true) : nil)
            })
    }

    @Test(arguments: [NativeJSONEncoder.TimestampFormat.rfc3339, .epochMilliseconds])
    func randomEventsSurviveTheRoundTrip(_ format: NativeJSONEncoder.TimestampFormat) throws {
        var generator = SeededGenerator(seed: format == .rfc3339 ? 1 : 2)
        let encoder = NativeJSONEncoder(timestampFormat: format)
        let decoder = NativeJSONDecoder()
        for _ in 0..<3000 {
            let event = Self.randomEvent(&generator)
            let bytes = encoder.encode(event)
            let decoded = try decoder.decode(bytes)
            #expect(decoded == event, "\(String(decoding: bytes, as: UTF8.self))")
            // Negative zero compares equal to zero; the sign must survive too.
            if let embedding = event.embedding, let back = decoded.embedding {
                #expect(embedding.map(\.bitPattern) == back.map(\.bitPattern))
            }
        }
    }

    @Test func everyFloatBitPatternClassRoundTrips() throws {
        // Floats near powers of two, subnormals and the largest values stress the
        // decimal → Double → Float path and its midpoint check.
        var values: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1, 3.4e38]
        var generator = SeededGenerator(seed: 3)
        for exponent in -149...127 {
            let power = Float(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown]
        }
        for _ in 0..<20_000 {
            values.append(Float(bitPattern: UInt32.random(in: 0...0x7F7F_FFFF, using: &generator)))
        }
        let event = LLMEvent(start: .epoch, end: .epoch, model: "m", embedding: values.filter(\.isFinite))
        let decoded = try NativeJSONDecoder().decode(NativeJSONEncoder().encode(event))
        #expect(decoded.embedding?.map(\.bitPattern) == event.embedding?.map(\.bitPattern))
    }

    @Test func extremeTimesRoundTripInBothFormats() throws {
        for micros in [
            EventTime.supportedRange.lowerBound.microsecondsSinceEpoch, -1, 0, 1, 999, 1000, 1001,
            EventTime.supportedRange.upperBound.microsecondsSinceEpoch,
        ] as [Int64] {
            let time = EventTime(microsecondsSinceEpoch: micros)
            let event = LLMEvent(start: time, firstToken: time, end: time, model: "m")
            for format in [NativeJSONEncoder.TimestampFormat.rfc3339, .epochMilliseconds] {
                let decoded = try NativeJSONDecoder().decode(NativeJSONEncoder(timestampFormat: format).encode(event))
                #expect(decoded == event)
            }
        }
    }
}
